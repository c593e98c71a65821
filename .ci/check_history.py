"""Opens a chainwatch Parquet history with pyarrow and pandas, as an analyst would, and checks its shape.

Usage: python3 .ci/check_history.py HISTORY_DIR EXPECTED_ROWS
"""
import sys

import pyarrow as pa
import pyarrow.dataset as ds


def main(history: str, expected_rows: int) -> None:
    dataset = ds.dataset(history, format="parquet", partitioning="hive")
    table = dataset.to_table()
    schema = table.schema
    assert table.num_rows == expected_rows, f"{table.num_rows} rows, expected {expected_rows}"
    assert schema.field("eventTime").type == pa.timestamp("us", tz="UTC"), schema.field("eventTime").type
    assert pa.types.is_list(schema.field("userGroups").type), schema.field("userGroups").type
    assert pa.types.is_map(schema.field("annotations").type), schema.field("annotations").type
    assert {"dt", "hour"} <= set(schema.names), "Hive partition columns missing"

    frame = table.to_pandas()
    assert frame["auditID"].is_unique, "history holds duplicate auditIDs"
    decisions = frame["annotations"].map(lambda kv: dict(kv or []).get("authorization.k8s.io/decision"))
    print(f"history OK: {len(frame)} rows, {frame['dt'].nunique()} day(s), "
          f"{frame['principal'].nunique()} principals, decisions {decisions.value_counts().to_dict()}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
