"""Checks: claims and promises, disclosures, the claims registry, suppressions."""
