"""``python -m layout`` runs the ``paiban`` command."""

from layout.cli import run

run()
