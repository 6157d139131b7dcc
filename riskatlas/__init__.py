"""Electronics supply-chain risk atlas: build, query and explain a DuckDB atlas of public sources."""

__version__ = "0.1.0"
