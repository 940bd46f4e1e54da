"""Read pages as element trees: tests that check structure query it with XPath instead of matching substrings."""

from __future__ import annotations

import lxml.html


def parse(response_or_html) -> lxml.html.HtmlElement:
    """The page (a test-client response, or HTML text) as an lxml element tree."""
    content = getattr(response_or_html, "content", response_or_html)
    if isinstance(content, bytes):
        content = content.decode()
    return lxml.html.document_fromstring(content) if "<html" in content[:500].lower() else lxml.html.fromstring(content)


def text(element) -> str:
    """An element's text with its whitespace collapsed."""
    return " ".join(element.text_content().split())


def texts(tree, xpath: str) -> list[str]:
    """The collapsed text of every element the XPath selects."""
    return [
        text(element) if hasattr(element, "text_content") else " ".join(str(element).split())
        for element in tree.xpath(xpath)
    ]


def field_value(tree, name: str) -> str | None:
    """What a form field named ``name`` holds as rendered (input value, textarea text, selected option)."""
    found = tree.xpath(f'//*[@name="{name}"]')
    if not found:
        return None
    element = found[0]
    if element.tag == "textarea":
        value = element.text or ""
        return value[1:] if value.startswith("\n") else value  # as a browser reads it
    if element.tag == "select":
        selected = element.xpath(".//option[@selected]/@value")
        return selected[0] if selected else None
    return element.get("value")


def form_errors(tree) -> list[str]:
    """Every error message the admin (or a crispy form) shows on the page."""
    return texts(tree, '//ul[contains(@class, "errorlist")]/li | //*[contains(@class, "invalid-feedback")]')


def form_data(tree, xpath: str = "//form[@method='post' and not(@id='logout-form')]") -> dict[str, str | list[str]]:
    """What a browser would submit from the first form the XPath selects, as a test-client POST dict."""
    data: dict[str, str | list[str]] = {}
    for name, value in tree.xpath(xpath)[0].form_values():
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    return data


def visible_words(tree) -> list[str]:
    """The words a reader sees without opening anything: text outside closed ``<details>`` (their
    ``<summary>`` counts), screen-reader-only text and scripts left out. A word has a letter or digit."""
    tree = lxml.html.fromstring(lxml.html.tostring(tree))  # a copy: the caller's tree stays whole
    hidden = tree.xpath(
        "//details[not(@open)]/*[not(self::summary)]"
        " | //*[contains(concat(' ', normalize-space(@class), ' '), ' visually-hidden ')]"
        " | //script | //style | //template"
    )
    for element in hidden:
        if element.getparent() is not None:
            element.drop_tree()
    for details in tree.xpath("//details[not(@open)]"):  # loose text after the summary is hidden too
        for child in details:
            if child.tag == "summary":
                child.tail = None
        details.text = None
    words = " ".join(tree.itertext()).split()  # table cells and badges are separate words
    return [word for word in words if any(ch.isalnum() for ch in word)]
