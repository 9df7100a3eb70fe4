"""Decontamination: an example sharing a token 10-gram or 50 characters with an evaluation
set is left out, whatever the evaluation file's format."""

from __future__ import annotations

import json
from pathlib import Path

from ibert_mine.pipeline.concat import concat
from ibert_mine.pipeline.decontaminate import EvalSet, eval_texts

SHARED = "t.group_by('species').aggregate(mean_bill=t.bill_length_mm.mean())"


def _record(i: int, answer: str) -> dict:
    question = {"question": f"How do I do thing {i}?"}
    meta = {"origin": "docs"}
    return {"id": f"{i:016x}", "task": "qa", "source": "s", "meta": meta,
            "input": question, "target": {"answer": answer}}  # fmt: skip


def test_a_ten_gram_or_fifty_characters_in_common_is_contamination(tmp_path: Path) -> None:
    plain = tmp_path / "eval.txt"
    plain.write_text(f"Some benchmark prose.\nThe solution is {SHARED} exactly.\n")
    found = EvalSet.read(plain)
    assert found.shares(_record(1, f"Write {SHARED}."))  # 10-gram and substring
    assert found.shares(_record(2, "THE   SOLUTION IS\n" + SHARED.upper()))  # case, spaces
    assert not found.shares(_record(3, "Call mean on the column and group by species."))
    long = tmp_path / "eval2.txt"
    long.write_text("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n")  # one token
    assert EvalSet.read(long).shares(_record(4, "Z" + "A" * 60))  # 50 characters, no 10-gram


def test_an_eval_file_of_records_is_read_by_its_fields(tmp_path: Path) -> None:
    records = tmp_path / "eval.jsonl"
    records.write_text(json.dumps(_record(9, SHARED)) + "\n")
    assert SHARED in eval_texts(records)
    assert "How do I do thing 9?" in eval_texts(records)
    assert not any('"id"' in text for text in eval_texts(records))  # fields, not the JSON


def test_concat_leaves_out_and_counts_what_an_eval_set_holds(tmp_path: Path) -> None:
    mined = tmp_path / "mined"
    mined.mkdir()
    lines = [_record(1, f"Use {SHARED}."), _record(2, "Use a window function over the rows.")]
    (mined / "qa_mined.jsonl").write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    evaluation = tmp_path / "humaneval.txt"
    evaluation.write_text(SHARED + "\n")
    out = tmp_path / "all.jsonl"
    result = concat(mined, [], out, exclude=(evaluation,))
    assert result.written == 1
    assert result.decontaminated == {("qa", str(evaluation)): 1}
    assert json.loads(out.read_text())["id"] == lines[1]["id"]
