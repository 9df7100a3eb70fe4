# Recipes kept from the prototype. Each runs the project's ibert-mine: the one in .venv when
# the README's first command made it, else the one on PATH. `just --list` shows them; a
# variable is set on the command line: `just out=/tmp/mined mine-multitask`.
out := "data/mining/multitask"
bin := if path_exists(".venv/bin/ibert-mine") == "true" { ".venv/bin/ibert-mine" } else { "ibert-mine" }

# List the recipes
default:
    @{{just_executable()}} --justfile {{justfile()}} --list

# Mine every task that has a miner into <out>/<task>_mined.jsonl
mine-multitask:
    {{bin}} mine --output {{out}}

# Mine one task
mine-task TASK:
    {{bin}} mine --task {{TASK}} --output {{out}}

# Validate every mined file
validate-multitask:
    {{bin}} validate {{out}}

# Merge the mined files into data/train_complete.jsonl
concatenate-data:
    {{bin}} concat --input {{out}} --output data/train_complete.jsonl
