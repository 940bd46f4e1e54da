"""The bad-input corpus: what an attacker or an unlucky paste puts in a form field.

Values are ``bytes`` where they must reach the server as they are (invalid UTF-8); every
other value is text. ``XSS_FLAG`` is the window property the script payloads would set.
"""

XSS_FLAG = "__xss"

SCRIPT_PAYLOADS = {
    "script-tag": f"<script>window.{XSS_FLAG}=1</script>",
    "img-onerror": f'"><img src=x onerror="window.{XSS_FLAG}=1">',
    "svg-onload": f"'><svg/onload=window.{XSS_FLAG}=1>",
    "js-url": f"javascript:window.{XSS_FLAG}=1",
    "markdown-js-link": f"[click me](javascript:window.{XSS_FLAG}=1)",
    "markdown-html": f'**bold** <a href="javascript:window.{XSS_FLAG}=1">x</a> <style>body{{display:none}}</style>',
    "template-injection": "{{ 7|add:7 }} {% now 'Y' %} ${7*7}",
}

CORPUS: dict[str, str | bytes] = {
    **SCRIPT_PAYLOADS,
    "sql-quote": "'; DROP TABLE hiring_candidate; --",
    "sql-or": '1" OR "1"="1',
    "nul": "a\x00b",
    "c0-controls": "x" + "".join(chr(code) for code in range(1, 32)) + "\x7fy",
    "long-100k": "L" * 100_000,
    "rtl-override": "invoice\u202egnp.exe",
    "emoji": "Ada \U0001f642\U0001f469\U0001f3fd\u200d\U0001f4bb \U0001f1ea\U0001f1fa",
    "invalid-utf8": b"\xff\xfe \xed\xa0\x80 \xc3",
    "huge-number": "9" * 40,
    "negative": "-1",
    "empty": "",
    "format-string": "%s%n%x {0} %(name)s",
}
