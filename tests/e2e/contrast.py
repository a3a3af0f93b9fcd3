"""The contrast of every button and link of a page in each of its states, computed from the page's real CSS.

Chromium is told to treat the elements as hovered, focused (keyboard focus: :focus and :focus-visible), pressed
through the DevTools protocol (`CSS.forcePseudoState`); the colours are then read with getComputedStyle, laid
over the backgrounds behind the element (a gradient counts by each of its colour stops), and compared with
WCAG 2.x's formula. Buttons in the page's content are also measured disabled. Run it in a context that asks for
reduced motion (tests.e2e.conftest.new_context): otherwise the colours read are those at the start of a fade.
"""

from dataclasses import dataclass

# What a visitor presses or follows; the skip link is left out (it only shows while focused, as a plain link).
INTERACTIVE = "a[href]:not(.visually-hidden-focusable), button, .btn, input[type=submit], input[type=button], .page-link"
# The pseudo-classes that hold together in each state: keyboard focus is :focus and :focus-visible, a press
# with the pointer is :active while hovered and focused.
STATES = {
    "default": [],
    "hover": ["hover"],
    "keyboard focus": ["focus", "focus-visible"],
    "pressed": ["active", "hover", "focus"],
    "disabled": [],
}
AA_TEXT = 4.5
AA_LARGE_TEXT = 3.0  # 24 px, or 18.66 px bold (WCAG 1.4.3)

_MEASURE = r"""([selector, state]) => {
    const parse = (text) => {
        const m = text.match(/rgba?\(([^)]+)\)/);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
        return [r, g, b, a];
    };
    const over = (top, below) => {  // `top` (with alpha) laid over an opaque `below`
        const a = top[3];
        return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat(1);
    };
    const luminance = (c) => {
        const [r, g, b] = c.slice(0, 3).map(v => v / 255).map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (x, y) => {
        const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
        return (hi + 0.05) / (lo + 0.05);
    };
    const hex = (c) => "#" + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, "0")).join("");
    // The colours that can be seen behind `element`: its ancestors' backgrounds, from the first opaque one up.
    const backdrops = (element) => {
        const layers = [];
        for (let node = element.parentElement; node; node = node.parentElement) {
            const style = getComputedStyle(node);
            const stops = (style.backgroundImage.match(/rgba?\([^)]+\)/g) || []).map(parse);
            if (stops.length) layers.push(stops);
            const colour = parse(style.backgroundColor);
            if (colour && colour[3] > 0) layers.push([colour]);
            if (layers.length && layers[layers.length - 1].every(c => c[3] === 1)) break;
        }
        let seen = [[255, 255, 255, 1]];  // the canvas
        for (const layer of layers.reverse()) seen = seen.flatMap(below => layer.map(top => over(top, below)));
        return seen;
    };
    const visible = (element) => {
        const style = getComputedStyle(element);
        return element.getClientRects().length > 0 && style.visibility === "visible"
            && element.innerText.trim() !== "" && !element.closest("[aria-hidden=true]");
    };
    const rows = [];
    for (const element of document.querySelectorAll(selector)) {
        if (!visible(element)) continue;
        if (state === "disabled" && !element.closest("main, .sb-container, #content")) continue;
        if (state === "disabled" && !element.matches(".btn")) continue;
        const style = getComputedStyle(element);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const opacity = Number(style.opacity);
        const ownBackground = parse(style.backgroundColor);
        let worst = null;
        for (const behind of backdrops(element)) {
            const background = over(ownBackground, behind);
            const text = over(parse(style.color), background);
            const shown = [over([...text.slice(0, 3), opacity], behind), over([...background.slice(0, 3), opacity], behind)];
            const value = ratio(shown[0], shown[1]);
            if (!worst || value < worst.ratio) worst = {ratio: value, text: hex(shown[0]), background: hex(shown[1])};
        }
        rows.push({
            ...worst, large, state,
            element: element.outerHTML.split(">")[0].slice(0, 160) + ">",
            name: element.innerText.trim().replace(/\s+/g, " ").slice(0, 60),
            classes: [...element.classList],
        });
    }
    return rows;
}"""

_DISABLE = """([selector, on]) => {
    for (const element of document.querySelectorAll(selector)) {
        if (!element.matches(".btn") || !element.closest("main, .sb-container, #content")) continue;
        if (on) {
            element.dataset.contrastWasDisabled = element.matches(":disabled, .disabled") ? "1" : "";
            if ("disabled" in element) element.disabled = true; else element.classList.add("disabled");
        } else if (!element.dataset.contrastWasDisabled) {
            if ("disabled" in element) element.disabled = false; else element.classList.remove("disabled");
        }
    }
}"""


@dataclass(frozen=True)
class Reading:
    page: str
    state: str
    name: str
    element: str
    classes: tuple
    text: str
    background: str
    ratio: float
    large: bool

    @property
    def required(self) -> float:
        return AA_LARGE_TEXT if self.large else AA_TEXT

    def __str__(self):
        return (f"{self.page} [{self.state}] “{self.name}” {self.element}: {self.text} on {self.background} = "
                f"{self.ratio:.2f}:1 (needs {self.required}:1)")


def readings(page, where: str) -> list[Reading]:
    """The contrast of every visible button and link of `page` in every state of STATES."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": INTERACTIVE})["nodeIds"]
        rows = []
        for state in STATES:
            if state == "disabled":
                page.evaluate(_DISABLE, [INTERACTIVE, True])
            else:
                for node in nodes:
                    cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": STATES[state]})
            try:
                rows += page.evaluate(_MEASURE, [INTERACTIVE, state])
            finally:
                if state == "disabled":
                    page.evaluate(_DISABLE, [INTERACTIVE, False])
                else:
                    for node in nodes:
                        cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": []})
    finally:
        cdp.detach()
    return [Reading(page=where, classes=tuple(row.pop("classes")), **row) for row in rows]
