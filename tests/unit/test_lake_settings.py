"""The lake's settings from the environment: both variables or neither, paths normalised, secrets kept out of
messages, the S3 secret's SQL from the standard AWS variables."""

import pytest

from orchestration.lib import lake


def test_neither_variable_is_the_embedded_file_and_one_alone_is_refused():
    assert lake.configured({}) is None
    with pytest.raises(lake.LakeMisconfigured, match="LIQMART_LAKE_DATA is not set"):
        lake.configured({lake.CATALOG_ENV: "dbname=lake"})
    with pytest.raises(lake.LakeMisconfigured, match="LIQMART_LAKE_CATALOG is not set"):
        lake.configured({lake.DATA_ENV: "s3://b/p/"})


def test_the_data_path_is_absolute_and_ends_with_one_slash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert lake.configured({lake.CATALOG_ENV: "dbname=l", lake.DATA_ENV: "s3://b/p"}).data == "s3://b/p/"
    assert lake.configured({lake.CATALOG_ENV: "dbname=l", lake.DATA_ENV: "files"}).data == f"{tmp_path}/files/"


@pytest.mark.parametrize(
    "catalog",
    [
        "postgresql://liq:s3cret@db.example:5432/lake",
        "postgresql://liq:s3cret@db.example/lake?sslmode=require",
        "dbname=lake host=db user=liq password=s3cret",
        "dbname=lake password = 's3cret' host=db",
    ],
)
def test_a_description_never_shows_the_password(catalog):
    text = lake.Lake(catalog=catalog, data="s3://b/p/").describe()
    assert "s3cret" not in text and "db" in text and "s3://b/p/" in text


def test_the_s3_secret_follows_the_endpoints_scheme_and_quotes_values():
    base = {"AWS_ACCESS_KEY_ID": "k'ey", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-west-1"}
    local = lake.s3_secret_sql({**base, "AWS_ENDPOINT_URL": "http://127.0.0.1:8333"})
    assert "endpoint '127.0.0.1:8333'" in local and "use_ssl 'false'" in local and "url_style 'path'" in local
    assert "key_id 'k''ey'" in local and "region 'eu-west-1'" in local
    remote = lake.s3_secret_sql({**base, "AWS_ENDPOINT_URL": "https://minio.example"})
    assert "use_ssl 'true'" in remote
    aws = lake.s3_secret_sql(base)  # AWS itself: no endpoint, DuckDB's default addressing
    assert "endpoint" not in aws and "url_style" not in aws
