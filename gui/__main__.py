from gui.cli.app import main

raise SystemExit(main())
