"""Benchmark: generate a large mixed ar/fa/en storefront and time `promiselint check`.

    python bench/bench.py [--pages 3000] [--out bench/out]

Reports files/s, MB/s and peak memory (RSS of the child) for a full check, and
the cold time of a one-file check (best of three). Figures go in the release
notes, not tests. `--no-prefilter` also times the one-core check with the
literal-anchor prefilter off (PROMISELINT_PREFILTER=0), to show what it saves.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

PARAS = {
    "en": ["Our fastest kettle boils in 90 seconds.", "Free shipping on UK orders over £40.",
           "Hand-finished cast iron, pre-seasoned with flaxseed oil.", "Sort by: Best selling | Newest",
           "Delivered within 24 hours.", "Care: wash by hand and dry at once.",
           "Price: £49.00. Shipping: £4.95, shown in your total."],
    "ar": ["متجرنا الأرخص في المملكة.", "شحن مجاني للطلبات فوق 200 ريال.", "عطر عود فاخر بتركيبة ثابتة.",
           "التوصيل خلال ٢٤ ساعة.", "الألوان المتاحة: أحمر، أزرق، أسود.", "السعر: ١٩٩ ر.س شامل الشحن."],
    "fa": ["سریع‌ترین ارسال در کل کشور", "ارسال رایگان برای خریدهای بالای ۳ میلیون تومان در تهران.",
           "زعفران سرگل قائنات، بسته‌بندی ۴ گرمی.", "ارسال ۲۴ ساعته به تمام نقاط ایران",
           "رنگ‌بندی: مشکی، سفید", "قیمت: ۲۵۰٬۰۰۰ تومان با احتساب هزینه ارسال"],
}


def page(lang: str, rng: random.Random, n: int) -> str:
    body = "\n".join(f"<p>{rng.choice(PARAS[lang])} {rng.choice(PARAS[lang])}</p>" for _ in range(n))
    return (f'<!doctype html><html lang="{lang}"><head><title>Product</title></head><body><main>{body}</main>'
            f'<footer><a href="/privacy">Privacy</a> <a href="/returns">Returns</a> '
            f'<a href="/contact">Contact</a> <a href="/disclaimer">Disclaimer</a></footer></body></html>\n')


def generate(out: Path, pages: int) -> int:
    rng = random.Random(7)
    out.mkdir(parents=True, exist_ok=True)
    size = 0
    for i in range(pages):
        lang = ("en", "ar", "fa")[i % 3]
        text = page(lang, rng, rng.randint(8, 30))
        (out / f"{lang}-{i:05d}.html").write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **env} if env else None)
    elapsed = time.perf_counter() - t0
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--no-prefilter", action="store_true",
                    help="also time the one-core check with the prefilter off")
    args = ap.parse_args()
    exe = str(Path(sys.executable).with_name("promiselint"))
    size = generate(args.out, args.pages)
    one = next(args.out.glob("en-*.html"))
    cold = min(timed([exe, "check", "--no-cache", "--fail-on", "never", str(one)])[0] for _ in range(3))
    base = [exe, "check", "--fail-on", "never", "--format", "json", str(args.out)]
    elapsed, rss = timed(base + ["--no-cache"])
    serial, _ = timed(base + ["--no-cache", "--jobs", "1"])
    plain = None
    if args.no_prefilter:
        plain, _ = timed(base + ["--no-cache", "--jobs", "1"], {"PROMISELINT_PREFILTER": "0"})
    timed(base)  # fill the cache
    warm, _ = timed(base)
    print(f"pages: {args.pages}  size: {size / 1e6:.1f} MB")
    print(f"full check, all cores: {elapsed:.1f} s  {args.pages / elapsed:.0f} files/s  "
          f"{size / 1e6 / elapsed:.2f} MB/s  peak RSS {rss} MB (largest process)")
    print(f"full check, one core:  {serial:.1f} s  {size / 1e6 / serial:.2f} MB/s")
    if plain is not None:
        print(f"full check, one core, prefilter off: {plain:.1f} s  {size / 1e6 / plain:.2f} MB/s")
    print(f"re-check, nothing changed (cache): {warm:.2f} s")
    print(f"one-file check, cold: {cold:.2f} s")


if __name__ == "__main__":
    main()
