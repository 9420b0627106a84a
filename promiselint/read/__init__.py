"""Read: bytes to text, and findings about an input file itself."""
