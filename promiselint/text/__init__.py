"""Text: fold to matching form, detect the language, split sentences."""
