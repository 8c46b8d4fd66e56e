"""`python -m project …` is the `jobcast` command line (apps.ops.cli); only this entry script imports it."""
import sys

from apps.ops.cli import main

sys.exit(main())
