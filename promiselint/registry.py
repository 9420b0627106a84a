"""Claims registry placeholder (filled in below)."""
STARTER_CLAIMS = ""


def load_registry(path):
    return None


def claims_report(paths, config_path):
    return ""
