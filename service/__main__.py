"""`python -m service`: the `careergraph` command."""

from service.tools.cli import main

raise SystemExit(main())
