"""Robot Framework support: a library and a masking listener (docs/adr/0076).

The library::

    *** Settings ***
    Library    heptora.robot

    *** Tasks ***
    Sign in to SAP
        ${password}=    Get Secret    SAP_PASSWORD
        Input Password    id:password    ${password}

``Get Secret`` returns Robot Framework's ``Secret`` type (``robot.api.types.Secret``, RF 7.4 and
later): RF logs it as ``<secret>``, and keywords that accept ``Secret`` read ``.value``. On an
older RF it returns the string, reads it with the log level at NONE (restored when the keyword
ends), and the masking listener below, which the library registers for itself, hides the value.

The listener: ``heptora run`` adds ``--listener heptora.robot.MaskingListener`` to
``ROBOT_OPTIONS``, so a task file needs no change. It replaces, before RF writes output.xml (and
so log.html and report.html), every value this process read through the SDK (and those
``heptora run --env`` handed over) in log messages, keyword arguments, assignments, failure
messages and test and suite messages, also in the escaped forms RF logs (``repr``, JSON, HTML).
It never learns a value any other way: no value goes in the environment or on a command line.
A value read by another process (a ``Run Process`` child that reads its own) is not known here;
``heptora run`` still masks the console output of every process of the run.
"""

import html
import json
import os
from typing import Any, Callable, FrozenSet, List, Optional, Tuple

import heptora

from robot.api.deco import keyword

try:  # Robot Framework 7.4+
    from robot.api.types import Secret as _SecretType
except ImportError:  # pragma: no cover - older Robot Framework
    _SecretType = None

MASK = "***"

ROBOT_AUTO_KEYWORDS = False
ROBOT_LIBRARY_SCOPE = "GLOBAL"

__all__ = ["MaskingListener", "get_secret", "MASK"]


def _forms(value: str) -> List[str]:
    """The ways RF may write ``value``: as is, escaped as a Python literal (TRACE's ``repr``),
    as a JSON string, as HTML, and, for a multi-line value, each line of 4 characters or more."""
    forms = {value, repr(value)[1:-1], json.dumps(value)[1:-1]}
    forms.add(json.dumps(value, ensure_ascii=False)[1:-1])
    forms.add(value.replace("\\", "\\\\").replace("'", "\\'"))
    forms.add(value.replace("\\", "\\\\").replace('"', '\\"'))
    for form in list(forms):
        forms.add(html.escape(form, quote=False))
        forms.add(html.escape(form, quote=True))
    if "\n" in value or "\r" in value:
        forms.update(line for line in value.splitlines() if len(line.strip()) >= 4)
    return [form for form in forms if form]


class _Scrubber:
    """Replaces known values in text; rebuilds its patterns only when the set of values grows."""

    def __init__(self, values: Callable[[], FrozenSet[str]]) -> None:
        self._values = values
        self._known: FrozenSet[str] = frozenset()
        self._patterns: Tuple[str, ...] = ()

    def text(self, text: str) -> str:
        values = self._values()
        if values != self._known:
            patterns = {form for value in values for form in _forms(value)}
            self._patterns = tuple(sorted(patterns, key=len, reverse=True))
            self._known = values
        for pattern in self._patterns:
            if pattern in text:
                text = text.replace(pattern, MASK)
        return text

    def item(self, item: Any) -> Any:
        """A string scrubbed; a tuple, list or dict scrubbed item by item; anything else whose
        text holds a value becomes that text, scrubbed."""
        if isinstance(item, str):
            return self.text(item)
        if isinstance(item, (tuple, list)):
            return type(item)(self.item(part) for part in item)
        if isinstance(item, dict):
            return {key: self.item(part) for key, part in item.items()}
        if _SecretType is not None and isinstance(item, _SecretType):
            return item
        try:
            shown = str(item)
        except Exception:  # noqa: BLE001 - an object whose str() fails shows nothing anyway
            return item
        scrubbed = self.text(shown)
        return item if scrubbed == shown else scrubbed


class MaskingListener:
    """Listener API v3: hides the values this run read before Robot Framework writes them.

    Given to RF by ``heptora run`` through ``ROBOT_OPTIONS``; usable by hand too::

        robot --listener heptora.robot.MaskingListener tasks.robot
    """

    ROBOT_LISTENER_API_VERSION = 3
    # Before any other listener (RF calls higher priorities first): they see masked data too.
    ROBOT_LISTENER_PRIORITY = 1_000_000

    def __init__(self) -> None:
        self._env_values: Optional[FrozenSet[str]] = None
        self._scrub = _Scrubber(self._values)

    def _values(self) -> FrozenSet[str]:
        if self._env_values is None:
            self._env_values = _values_handed_over_in_env()
        return heptora._values_read() | self._env_values

    # Messages: library logs, TRACE's arguments and return values, `${x} = ...` assignments,
    # failures, and RF's own messages (warnings and errors go into output.xml's <errors>).
    def log_message(self, message: Any) -> None:
        message.message = self._scrub.text(message.message)

    def message(self, message: Any) -> None:
        message.message = self._scrub.text(message.message)

    # Every keyword and control structure, written to output.xml when it ends.
    def end_body_item(self, data: Any, result: Any) -> None:
        for attribute in ("message", "args", "assign", "values", "value", "condition"):
            _rewrite(result, attribute, self._scrub.item)
        self._rewrite_tags(result)

    def end_keyword(self, data: Any, result: Any) -> None:
        self.end_body_item(data, result)

    def end_library_keyword(self, data: Any, implementation: Any, result: Any) -> None:
        if self is _listener:  # the library's own instance puts back what `Get Secret` changed
            _restore_log_level(result)
        self.end_keyword(data, result)

    def end_test(self, data: Any, result: Any) -> None:
        _rewrite(result, "message", self._scrub.item)
        _rewrite(result, "doc", self._scrub.item)
        self._rewrite_tags(result)  # `Set Tags` takes any text; tag statistics follow

    def end_suite(self, data: Any, result: Any) -> None:
        _rewrite(result, "message", self._scrub.item)
        _rewrite(result, "doc", self._scrub.item)
        self._rewrite_tags(result)
        metadata = getattr(result, "metadata", None)  # `Set Suite Metadata`
        if metadata is not None:
            scrubbed = {key: self._scrub.text(str(value)) for key, value in metadata.items()}
            if scrubbed != {key: str(value) for key, value in metadata.items()}:
                try:
                    result.metadata = scrubbed
                except (AttributeError, TypeError, ValueError):
                    pass

    def _rewrite_tags(self, result: Any) -> None:
        tags = getattr(result, "tags", None)
        if tags is None:
            return
        scrubbed = [self._scrub.text(str(tag)) for tag in tags]
        if scrubbed != [str(tag) for tag in tags]:
            try:
                result.tags = scrubbed
            except (AttributeError, TypeError, ValueError):
                pass


def _rewrite(result: Any, attribute: str, scrub: Callable[[Any], Any]) -> None:
    try:
        current = getattr(result, attribute)
    except AttributeError:
        return
    if current is None:
        return
    scrubbed = scrub(current)
    if scrubbed != current:
        try:
            setattr(result, attribute, scrubbed)
        except (AttributeError, TypeError, ValueError):
            pass  # a read-only attribute of this RF version: nothing of ours to write there


def _values_handed_over_in_env() -> FrozenSet[str]:
    """Values `heptora run --env NAME` put in this process's environment: the declared names
    that are set there. Outside a run, or if the robot cannot be asked, none."""
    if not os.environ.get("HEPTORA_RUN_TOKEN"):
        return frozenset()
    try:
        names = heptora.declared_names()
    except heptora.SecretError:
        return frozenset()
    return frozenset(os.environ[name] for name in names if os.environ.get(name))


# --- The library ----------------------------------------------------------------------------------

_listener = MaskingListener()
ROBOT_LIBRARY_LISTENER = _listener

_previous_levels: List[str] = []


@keyword("Get Secret")
def get_secret(name: str) -> Any:
    """Returns the value of the secret ``name`` that the process declares, as RF's ``Secret``
    (RF 7.4+: logged as ``<secret>``; pass it to keywords that accept ``Secret``, or use
    ``${secret.value}`` where a string is needed). On an older RF, the string, read at log
    level NONE.

    Example: ``${password}=    Get Secret    SAP_PASSWORD``
    """
    if _SecretType is not None:
        return _SecretType(heptora.get_secret(name))
    from robot.libraries.BuiltIn import BuiltIn

    _previous_levels.append(BuiltIn().set_log_level("NONE"))
    return heptora.get_secret(name)


def _restore_log_level(result: Any) -> None:
    if _previous_levels and getattr(result, "name", None) == "Get Secret":
        from robot.libraries.BuiltIn import BuiltIn

        BuiltIn().set_log_level(_previous_levels.pop())
