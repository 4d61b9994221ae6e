from __future__ import annotations

from django import forms

from accessibility.models import AccessibilityFeedback


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page", "email"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5}),
            # WCAG 1.3.5: the browser may offer the person's own address.
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
