"""``python -m rockpool_nb ...``: the ``rockpool-nb`` command."""

from rockpool_nb.cli import main

raise SystemExit(main())
