"""Key names to the bytes an xterm sends (for ``benchmarks/ptymeter.py``).

``key_bytes("f2")`` is ``ESC O Q``, ``key_bytes("ctrl+s")`` is ``0x13``; modifiers on
arrows, F-keys and Home/End use xterm's ``1;<mod>`` parameter.
"""

from __future__ import annotations

_PLAIN_KEYS = {
    "enter": b"\r",
    "return": b"\r",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "backtab": b"\x1b[Z",
    "esc": b"\x1b",
    "escape": b"\x1b",
    "backspace": b"\x7f",
    "space": b" ",
}
_CURSOR = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
_TILDE = {
    "insert": 2,
    "delete": 3,
    "del": 3,
    "pgup": 5,
    "pageup": 5,
    "pgdn": 6,
    "pagedown": 6,
    "f5": 15,
    "f6": 17,
    "f7": 18,
    "f8": 19,
    "f9": 20,
    "f10": 21,
    "f11": 23,
    "f12": 24,
}
_SS3 = {"f1": "P", "f2": "Q", "f3": "R", "f4": "S"}
_MODIFIERS = ("shift", "alt", "meta", "ctrl")


def key_bytes(name: str, app_cursor: bool = False) -> bytes:
    """Return the bytes for a key name such as ``tab``, ``f2``, ``ctrl+s`` or ``shift+up``.

    ``app_cursor``: the program switched on application cursor keys (DECCKM), so
    plain arrows, Home and End are sent as ``ESC O x``. Raises ``ValueError``
    for a name no terminal key has.
    """
    key = name.strip().lower()
    if key in _PLAIN_KEYS:
        return _PLAIN_KEYS[key]
    *mods, base = key.split("+")
    if not base or any(m not in _MODIFIERS for m in mods):
        raise ValueError(f"unknown key {name!r}")
    if not mods:
        if base in _CURSOR:
            return (b"\x1bO" if app_cursor else b"\x1b[") + _CURSOR[base].encode()
        if base in _TILDE:
            return f"\x1b[{_TILDE[base]}~".encode()
        if base in _SS3:
            return f"\x1bO{_SS3[base]}".encode()
        if len(base) == 1:
            return base.encode()
        raise ValueError(f"unknown key {name!r}")
    # xterm's modifier parameter: 1 + shift + 2*alt + 4*ctrl
    code = 1 + ("shift" in mods) + 2 * ("alt" in mods or "meta" in mods) + 4 * ("ctrl" in mods)
    if base in _CURSOR:
        return f"\x1b[1;{code}{_CURSOR[base]}".encode()
    if base in _TILDE:
        return f"\x1b[{_TILDE[base]};{code}~".encode()
    if base in _SS3:
        return f"\x1b[1;{code}{_SS3[base]}".encode()
    char = {"space": " ", "enter": "\r"}.get(base, base)
    if len(char) != 1:
        raise ValueError(f"unknown key {name!r}")
    if "shift" in mods and char.isalpha():
        char = char.upper()
    out = char.encode()
    if "ctrl" in mods:
        if char in " @":
            out = b"\x00"
        elif char == "?":
            out = b"\x7f"
        elif char.isalpha() or char in "[\\]^_":
            out = bytes([ord(char.upper()) & 0x1F])
        else:
            raise ValueError(f"no control code for {name!r}")
    if "alt" in mods or "meta" in mods:
        out = b"\x1b" + out
    return out
