"""`python -m project …` is the `jobcast` command line."""
import sys

from project.cli import main

sys.exit(main())
