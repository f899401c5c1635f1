"""The raw landing zone: immutable Parquet batches named by checksum."""

import polars as pl

from orchestration.lib.landing import LandingZone


def test_same_payload_lands_once(tmp_path):
    zone = LandingZone(root=str(tmp_path))
    frame = pl.DataFrame({"a": [1, 2]})
    first = zone.land("prices", "yahoo", {"x.csv": b"a\n1\n2\n"}, frame)
    second = zone.land("prices", "yahoo", {"x.csv": b"a\n1\n2\n"}, frame)
    assert first == second and len(list((tmp_path / "prices").iterdir())) == 1
    landed = pl.read_parquet(first.path)
    assert landed.columns == ["a", "_source", "_batch_id", "_ingested_at"]
    assert landed["_batch_id"].unique().to_list() == [first.batch_id]


def test_changed_payload_is_a_new_batch(tmp_path):
    zone = LandingZone(root=str(tmp_path))
    a = zone.land("prices", "yahoo", {"x.csv": b"1"}, pl.DataFrame({"a": [1]}))
    b = zone.land("prices", "yahoo", {"x.csv": b"2"}, pl.DataFrame({"a": [2]}))
    assert a.batch_id != b.batch_id and a.path.exists() and b.path.exists()
