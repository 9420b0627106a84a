"""camel-tools is optional: promiselint's Arabic folding must agree with its
reference normalizers (dediacritization, alef, alef maksura, teh marbuta,
Unicode presentation forms), so findings are the same with or without it."""
import json
from pathlib import Path

import pytest

from promiselint.text.normalize import fold

camel_normalize = pytest.importorskip("camel_tools.utils.normalize", reason="camel-tools not installed")
camel_dediac = pytest.importorskip("camel_tools.utils.dediac")

TATWEEL = "\u0640"


def camel(text: str) -> str:
    n = camel_normalize
    out = n.normalize_teh_marbuta_ar(n.normalize_alef_maksura_ar(n.normalize_alef_ar(
        camel_dediac.dediac_ar(n.normalize_unicode(text)))))
    # camel-tools keeps tatweel and Arabic punctuation; promiselint folds those too
    return fold(out.replace(TATWEEL, ""), "ar").text


def arabic_texts():
    root = Path(__file__).parent
    texts = [json.loads(line)["text"] for line in (root / "data" / "claims" / "ar.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts + ["الأَفْـــضَلُ", "ﻻ مثيل لها", "إرجاع آمن ٱلأول", "مُثْبَتٌ سَرِيرِيًّا", "ﺍﻷﺭﺧﺺ"]


@pytest.mark.parametrize("text", arabic_texts())
def test_arabic_folding_agrees_with_camel_tools(text):
    assert fold(text, "ar").text == camel(text)
