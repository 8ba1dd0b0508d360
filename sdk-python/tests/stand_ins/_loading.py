"""Shared by both stand-ins: import a class by its dotted name, as the real libraries do."""

import importlib


def import_by_name(dotted: str) -> type:
    module_name, _, attribute = dotted.rpartition(".")
    if not module_name:
        raise ValueError("Give the adapter as module.Class, not %r" % dotted)
    return getattr(importlib.import_module(module_name), attribute)
