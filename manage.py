#!/usr/bin/env python
"""Same as the installed `motcua` command, for habit."""

from motcua.cli import main

if __name__ == "__main__":
    main()
