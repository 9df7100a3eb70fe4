"""Worker processes that run untrusted code under limits; they know nothing of Ibis."""
