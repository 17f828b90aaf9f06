#!/usr/bin/env python3
"""Per-survey counts, two ways, in one normalized JSON shape so they can be
compared cell for cell:

    counts.py pandas FILE --template v1|v2 --start 2025-01-01 --end 2025-03-31
        what an analyst's pandas script does today: read the export (CSV, or
        .xlsx with openpyxl), keep the quarter, count per survey;
    counts.py duckdb FILE --template v1 --start … --end …
        the v1 counts as SQL over the CSV (DuckDB, all cores);
    counts.py polars FILE --template v1 --start … --end …
        the v1 counts with polars' lazy streaming engine;
    counts.py hisp AGGREGATE.json --template v1|v2
        the same counts taken from `hisp aggregate --format json`.

Both print sorted JSON: {"service|touchpoint|channel": {...}}.
"""
import json
import sys

LABELS = {
    "strongly disagree": 1, "disagree": 2, "neutral": 3,
    "neither agree nor disagree": 3, "neither agree or disagree": 3,
    "agree": 4, "strongly agree": 5,
}
MISSING = {"", "n/a", "na", "not applicable", "does not apply"}
QUESTIONS = ["satisfaction", "trust", "effectiveness", "ease", "efficiency", "transparency", "employee"]
DRIVERS = ["effectiveness", "ease", "efficiency", "transparency", "humanity", "employee", "other"]


def channel_code(s):
    return s.str.strip().str.lower().str.replace(" ", "_").str.replace("-", "_")


def answers(col):
    """A Likert column as numbers 1-5 (NaN when not answered)."""
    import pandas as pd
    text = col.astype("string").str.strip().str.lower()
    mapped = text.map(LABELS).astype("Float64")
    numeric = pd.to_numeric(text.where(~text.isin(MISSING)), errors="coerce").astype("Float64")
    return mapped.fillna(numeric)


def read(path, pd):
    if path.lower().endswith(".xlsx"):
        return pd.read_excel(path, engine="openpyxl", dtype=str)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def pandas_v1(path, start, end):
    import pandas as pd
    df = read(path, pd)
    when = pd.to_datetime(df["submitted_at"], format="mixed")
    df = df[(when >= start) & (when < pd.Timestamp(end) + pd.Timedelta(days=1))]
    out = pd.DataFrame({
        "service": df["service"].str.strip(),
        "touchpoint": df["touchpoint"].str.strip(),
        "channel": channel_code(df["channel"]),
    })
    for q in QUESTIONS:
        out[q] = answers(df[q])
    out = out[out[QUESTIONS].notna().any(axis=1)]
    result = {}
    for key, group in out.groupby(["service", "touchpoint", "channel"]):
        counts = {q: [int((group[q] == v).sum()) for v in range(1, 6)] for q in QUESTIONS}
        result["|".join(key)] = {"respondents": len(group), "counts": counts}
    return result


def pandas_v2(path, start, end):
    import pandas as pd
    df = read(path, pd)
    when = pd.to_datetime(df["submitted_at"], format="mixed")
    df = df[(when >= start) & (when < pd.Timestamp(end) + pd.Timedelta(days=1))]
    df = df.assign(
        service=df["service"].str.strip(),
        transaction_point=df["transaction_point"].str.strip(),
        channel=channel_code(df["channel"]),
        q1=pd.to_numeric(df["question_1"]),
    )
    result = {}
    for key, group in df.groupby(["service", "transaction_point", "channel"]):
        likert = bool((group["q1"] >= 2).any())
        positive = group["q1"] >= 4 if likert else group["q1"] == 1
        entry = {
            "respondents": len(group),
            "survey_type": "likert_scale" if likert else "thumbs_up_down",
            "trust_positive": int(positive.sum()),
            "trust_negative": int((~positive).sum()),
            "likert": [int((group["q1"] == v).sum()) for v in range(1, 6)] if likert else None,
        }
        for side, rows in (("positive", group[positive]), ("negative", group[~positive])):
            entry[side] = {}
            for d in DRIVERS:
                cells = rows[f"{side}_{d}"].str.strip()
                offered = ~cells.isin(["", "null"])
                entry[side][d] = [int((cells == "1").sum()), int(offered.sum())]
        result["|".join(key)] = entry
    return result


def label_sql(column):
    """A Likert column as a number in SQL (NULL when not answered)."""
    cases = " ".join(f"WHEN '{k}' THEN {v}" for k, v in LABELS.items())
    text = f"lower(trim({column}))"
    return f"CASE {text} {cases} ELSE TRY_CAST({text} AS DOUBLE) END"


def duckdb_v1(path, start, end):
    import duckdb
    answers_sql = ", ".join(f"{label_sql(q)} AS {q}" for q in QUESTIONS)
    counts_sql = ", ".join(
        f"count(*) FILTER (WHERE {q} = {v}) AS {q}_{v}" for q in QUESTIONS for v in range(1, 6)
    )
    any_answer = " OR ".join(f"{q} IS NOT NULL" for q in QUESTIONS)
    sql = f"""
        WITH rows AS (
            SELECT trim(service) AS service, trim(touchpoint) AS touchpoint,
                   replace(replace(lower(trim(channel)), ' ', '_'), '-', '_') AS channel,
                   {answers_sql}
            FROM read_csv('{path}', all_varchar = true, header = true)
            WHERE substr(submitted_at, 1, 10) BETWEEN '{start}' AND '{end}'
        )
        SELECT service, touchpoint, channel, count(*) AS respondents, {counts_sql}
        FROM rows WHERE {any_answer}
        GROUP BY ALL
    """
    result = {}
    for row in duckdb.sql(sql).fetchall():
        key = "|".join(row[:3])
        values = row[4:]
        counts = {q: [int(values[i * 5 + v]) for v in range(5)] for i, q in enumerate(QUESTIONS)}
        result[key] = {"respondents": int(row[3]), "counts": counts}
    return result


def polars_v1(path, start, end):
    import polars as pl

    def answer(q):
        text = pl.col(q).str.strip_chars().str.to_lowercase()
        return (
            text.replace_strict(LABELS, default=None, return_dtype=pl.Float64)
            .fill_null(text.cast(pl.Float64, strict=False))
            .alias(q)
        )

    frame = (
        pl.scan_csv(path, infer_schema=False)
        .filter(pl.col("submitted_at").str.slice(0, 10).is_between(pl.lit(start), pl.lit(end)))
        .select(
            pl.col("service").str.strip_chars(),
            pl.col("touchpoint").str.strip_chars(),
            pl.col("channel").str.strip_chars().str.to_lowercase().str.replace_all(" ", "_").str.replace_all("-", "_"),
            *[answer(q) for q in QUESTIONS],
        )
        .filter(pl.any_horizontal([pl.col(q).is_not_null() for q in QUESTIONS]))
        .group_by("service", "touchpoint", "channel")
        .agg(
            pl.len().alias("respondents"),
            *[(pl.col(q) == v).sum().alias(f"{q}_{v}") for q in QUESTIONS for v in range(1, 6)],
        )
        .collect(engine="streaming")
    )
    result = {}
    for row in frame.iter_rows(named=True):
        key = "|".join([row["service"], row["touchpoint"], row["channel"]])
        counts = {q: [int(row[f"{q}_{v}"]) for v in range(1, 6)] for q in QUESTIONS}
        result[key] = {"respondents": int(row["respondents"]), "counts": counts}
    return result


def from_hisp(path, v2):
    doc = json.load(open(path))
    result = {}
    for s in doc["surveys"]:
        if v2:
            key = "|".join([s["service"], s["transaction_point"], s["channel"]])
            entry = {
                "respondents": s["volume_of_respondents"],
                "survey_type": s["survey_type"],
                "trust_positive": s["trust_positive"],
                "trust_negative": s["trust_negative"],
                "likert": s["likert"],
            }
            for side in ("positive", "negative"):
                entry[side] = {d: [s[side][d]["count"], s[side][d]["offered"]] for d in DRIVERS}
        else:
            key = "|".join([s["service"], s["touchpoint"], s["channel"]])
            counts = {q["question"]: q["counts"] for q in s["questions"] if q["question"] in QUESTIONS}
            entry = {"respondents": s["respondents"], "counts": counts}
        result[key] = entry
    return result


def main():
    args = sys.argv[1:]
    mode, path = args[0], args[1]
    opts = dict(zip(args[2::2], args[3::2]))
    v2 = opts.get("--template", "v1") == "v2"
    if mode in ("pandas", "duckdb", "polars"):
        if v2 and mode != "pandas":
            sys.exit(f"{mode}: only the v1 counts are written")
        fn = {"pandas": pandas_v1, "duckdb": duckdb_v1, "polars": polars_v1}[mode]
        fn = pandas_v2 if v2 else fn
        result = fn(path, opts["--start"], opts["--end"])
    else:
        result = from_hisp(path, v2)
    json.dump(result, sys.stdout, sort_keys=True, indent=1)
    print()


if __name__ == "__main__":
    main()
