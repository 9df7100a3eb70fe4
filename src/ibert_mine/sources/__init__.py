"""What can be read: sources (package, folder, checkout), their files, and units of each kind."""
