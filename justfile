# Recipes kept from the prototype; each calls the ibert-mine CLI.
out := "data/mining/multitask"

# Mine every task that has a miner into data/mining/multitask/<task>_mined.jsonl
mine-multitask:
    ibert-mine mine --output {{out}}

# Mine one task
mine-task TASK:
    ibert-mine mine --task {{TASK}} --output {{out}}

# Validate every mined file
validate-multitask:
    ibert-mine validate {{out}}

# Merge the mined files into data/train_complete.jsonl
concatenate-data:
    ibert-mine concat --input {{out}} --output data/train_complete.jsonl
