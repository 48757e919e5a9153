"""``python -m zcgraph``: the same command line as the ``zcgraph`` script."""

from .cli.app import main

if __name__ == "__main__":
    main()
