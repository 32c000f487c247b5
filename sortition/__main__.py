"""`python -m sortition ...`: see `sortition.cli`."""

from sortition.cli import main

if __name__ == "__main__":
    main()
