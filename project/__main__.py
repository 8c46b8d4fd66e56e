"""`python -m project …` is the `jobcast` command line (apps.ops.cli); only this entry script runs it."""
import sys

if __name__ == "__main__":  # imported only when run: project/ loads no app module on import
    from apps.ops.cli import main

    sys.exit(main())
