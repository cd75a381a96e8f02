"""Plugins: readers and exporters are found through entry-point groups (`corresp.readers`,
`corresp.exporters`), loaded here by one piece of code.

Built-in ones are registered through the same entry points as third-party ones, so
`pip install corresp-foo` adds a reader or a format. Built-ins load first; a plugin cannot
take a built-in's name, nor another plugin's (in any case): the first keeps it. A plugin that
fails to load in any way (an import error, `sys.exit()` at import, a missing attribute, a name
that is not a plain word) is reported and skipped, never fatal to the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Generic, Iterable, TypeVar

from .errors import ConfigError

BUILTIN_MODULE = "corresp."  # entry points into corresp itself: the built-ins
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*", re.IGNORECASE)

T = TypeVar("T")


@dataclass
class Plugins(Generic[T]):
    """The loaded plugins of one group, by name, in listing order, and what failed."""
    kind: str  # "reader", "exporter": how messages name them
    found: dict[str, T]
    problems: list[str]  # plugins that failed to load, as messages
    unknown: str = "unknown {kind} {name!r} (registered: {known})"

    def get(self, name: str) -> T:
        """The plugin called `name`, in any case (`pdf`, `PDF`)."""
        if name in self.found:
            return self.found[name]
        by_lower = {n.lower(): p for n, p in reversed(self.found.items())}  # the first wins
        try:
            return by_lower[name.lower()]
        except KeyError:
            known = ", ".join(self.found) or "none"
            raise ConfigError(self.unknown.format(kind=self.kind, name=name, known=known)) from None


def is_builtin(ep) -> bool:
    return ep.value.startswith(BUILTIN_MODULE)


def _load_one(ep, protocol: type, needs: str, check: Callable[[object], None]):
    """The plugin an entry point names, checked; any exception (SystemExit and other
    BaseExceptions included) is the plugin's failure, turned into a RuntimeError."""
    try:
        cls = ep.load()
        plugin = cls() if isinstance(cls, type) else cls
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a plugin that calls sys.exit() at import must not end the run
        raise RuntimeError(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None
    if not isinstance(plugin, protocol):
        raise RuntimeError(f"does not provide {needs}")
    name = getattr(plugin, "name", None)
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise RuntimeError(f"its name {name!r} is not a plain word (letters, digits, - and _)")
    try:
        check(plugin)
    except RuntimeError:
        raise
    except Exception as exc:
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
    return plugin


def load(eps: Iterable, kind: str, protocol: type, needs: str, preferred: tuple[str, ...],
         check: Callable[[object], None] = lambda plugin: None) -> tuple[dict[str, object], list[str]]:
    """The plugins the entry points `eps` name (by name) and what failed to load, each an instance of `protocol` (a runtime-
    checkable Protocol; `needs` says what it lacks otherwise) that passes `check` (which
    raises to refuse it): built-ins first, then the rest; listed in the `preferred` order,
    then by name."""
    found: dict[str, object] = {}
    builtin: set[str] = set()
    problems: list[str] = []
    for ep in sorted(eps, key=lambda e: not is_builtin(e)):  # stable: built-ins first
        try:
            plugin = _load_one(ep, protocol, needs, check)
        except RuntimeError as exc:  # one broken plugin must not break the others
            problems.append(f"{kind} plugin {ep.name!r} ({ep.value}) failed to load: {exc}")
            continue
        taken = next((n for n in found if n.lower() == plugin.name.lower()), None)
        if taken is not None:
            what = "the built-in's" if taken in builtin and not is_builtin(ep) else "a name already"
            problems.append(f"{kind} name {plugin.name!r} registered twice ({ep.value}): it is {what} "
                            f"{taken!r}; keeping the first")
            continue
        found[plugin.name] = plugin
        if is_builtin(ep):
            builtin.add(plugin.name)
    ordered = {n: found[n] for n in preferred if n in found}
    ordered.update({n: found[n] for n in sorted(found) if n not in ordered})
    return ordered, problems
