"""``python -m pmloop`` runs the command line."""

from pmloop.cli import main

main()
