"""``python -m layout`` runs the ``paiban`` command."""

import sys

from layout.cli import main

sys.exit(main())
