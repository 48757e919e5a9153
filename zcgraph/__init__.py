"""zcgraph: a knowledge graph of 职称评审 records and the checks investigators run on it."""

__version__ = "0.1.0"
__all__ = ["__version__"]
