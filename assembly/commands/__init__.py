"""Command-line commands of each area (`COMMANDS` lists in each module), registered by cli.py."""
