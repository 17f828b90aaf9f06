#!/usr/bin/env python3
"""Read a Parquet file hisp wrote with pandas (pyarrow) and DuckDB, and its
CSV twin with pandas: print the row counts and the sums of the numeric
columns, and exit 1 if they differ.

    hisp trend EXPORT --from FY2024Q1 --to FY2025Q4 --parquet t.parquet > t.csv
    bench/.venv/bin/python bench/parquet-check.py t.parquet t.csv

Needs pandas, pyarrow and duckdb (pip install pandas pyarrow duckdb).
"""
import sys

import duckdb
import pandas as pd

parquet, csv = sys.argv[1], sys.argv[2]
p = pd.read_parquet(parquet)
c = pd.read_csv(csv)
d = duckdb.sql(f"select count(*), sum(count), sum(of), sum(respondents) from '{parquet}'").fetchall()[0]
numeric = ["count", "of", "respondents"]
print(f"rows: parquet (pandas) {len(p)}, parquet (duckdb) {d[0]}, csv {len(c)}")
for name, total in zip(numeric, d[1:]):
    print(f"sum({name}): pandas {int(p[name].sum())}, duckdb {int(total)}, csv {int(c[name].sum())}")
shares = abs(p["share"].fillna(0) - c["share"].fillna(0)).max()
print(f"largest share difference: {shares}")
same = len(p) == len(c) == d[0] and all(
    int(p[n].sum()) == int(c[n].sum()) == int(t) for n, t in zip(numeric, d[1:])
) and shares < 1e-9
print("same" if same else "DIFFERENT")
sys.exit(0 if same else 1)
