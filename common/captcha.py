"""The captcha field the portal's forms use."""

from captcha.fields import CaptchaField


class LabelledCaptchaField(CaptchaField):
    """A captcha whose answer box carries the field's label.

    The widget is two inputs (the key, hidden, and the answer), so the form layout draws it as a fieldset
    whose legend labels no input; screen readers would announce a nameless text box.
    """

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "aria-label": self.label}
