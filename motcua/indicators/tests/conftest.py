from motcua.indicators.tests.builders import world

__all__ = ["world"]
