"""Writes the two research notebooks from their cells (kept here as plain Python so that diffs stay readable).

Run: python3 notebooks/make_notebooks.py
"""
import os
import nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

HERE = os.path.dirname(os.path.abspath(__file__))

SETUP = '''import json, os
from pathlib import Path
import duckdb
import pandas as pd
import pyarrow.dataset as ds

ROOT = Path(os.environ.get("CHAINWATCH_HOME", Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()))
HISTORY = Path(os.environ.get("CHAINWATCH_HISTORY", ROOT / "data/demo-output/history"))
BACKTEST = Path(os.environ.get("CHAINWATCH_BACKTEST", ROOT / "data/demo-output/backtest"))
con = duckdb.connect()
con.execute(f"create view history as select * from read_parquet('{HISTORY}/**/*.parquet', hive_partitioning = true)")
print(HISTORY, BACKTEST)'''

tune = new_notebook()
tune.cells = [
    new_markdown_cell("# Tuning a noisy pattern\n\nThe backtest of a pattern raised more alerts than anyone can read. This "
                      "notebook finds who and what causes them, shows them over time, and checks a tuned version against "
                      "the original with the backtest's diff. It needs a history (`chainwatch detect --history` or the live "
                      "job) and a backtest output (`chainwatch backtest --baseline ... --out ...`); by default it uses the "
                      "demo's, which `./chainwatch demo` and `.ci/run` create."),
    new_code_cell(SETUP),
    new_markdown_cell("## 1. What the backtest found"),
    new_code_cell('''summary = json.loads((BACKTEST / "summary.json").read_text())
per_pattern = pd.DataFrame.from_dict(summary["patterns"], orient="index")[["alerts", "distinctKeys"]]
print(summary["run"])
per_pattern.sort_values("alerts", ascending=False)'''),
    new_code_cell('''alerts = pd.read_parquet(BACKTEST / "alerts.parquet")
noisiest = per_pattern["alerts"].idxmax()
noisy = alerts[alerts.ruleId == noisiest]
print(noisiest, len(noisy), "alert(s)")
noisy[["ruleId", "firstSeen", "summary"]].head(20)'''),
    new_markdown_cell("## 2. Top keys: who and what raises it"),
    new_code_cell('''keys = pd.json_normalize(noisy["key"].map(dict)).fillna("-")
top = keys.value_counts().rename("alerts").reset_index()
top.head(10)'''),
    new_markdown_cell("## 3. When: alerts over time, against all traffic of the same actors"),
    new_code_cell('''noisy_time = pd.to_datetime(noisy["firstSeen"]).dt.floor("h").value_counts().sort_index().rename("alerts")
traffic = con.execute("select date_trunc('hour', eventTime) as hour, count(*) as events from history group by 1 order by 1").df()
traffic["hour"] = pd.to_datetime(traffic["hour"]).dt.tz_convert("UTC")
over_time = traffic.set_index("hour").join(noisy_time.rename_axis("hour"), how="left").fillna(0)
over_time'''),
    new_markdown_cell("## 4. The evidence events in the history\n\nThe alert's evidence names audit IDs; the history holds the whole request."),
    new_code_cell('''evidence_ids = sorted({e["auditID"] for ev in noisy["evidence"] for e in ev})
con.execute("select eventTime, principal, verb, resource, subresource, namespace, objectName, clientIP, userAgent "
            "from history where auditID in (select unnest($ids)) order by eventTime", {"ids": evidence_ids}).df()'''),
    new_markdown_cell("## 5. What a tuning changed\n\n`diff.json` compares the backtested patterns with `--baseline`: alerts only the new "
                      "version raises, alerts it stopped raising (check these are not real attacks you now miss), and both."),
    new_code_cell('''diff_file = BACKTEST / "diff.json"
if diff_file.exists():
    diff = pd.DataFrame.from_dict(json.loads(diff_file.read_text()), orient="index")[["onlyNew", "onlyBaseline", "both"]]
    display(diff)
else:
    print("no baseline in this backtest")'''),
]

explore = new_notebook()
explore.cells = [
    new_markdown_cell("# Exploring the history to design a new sequence\n\nA walk from raw history to a draft pattern: who does "
                      "what, which actions of one actor follow each other closely, and which of those pairs are rare enough to "
                      "alert on. The result is a pattern file to put in `cep-patterns/`, test with `chainwatch patterns test` "
                      "and backtest."),
    new_code_cell(SETUP),
    new_markdown_cell("## 1. The shape of the traffic"),
    new_code_cell('''con.execute("select count(*) events, count(distinct principal) principals, min(eventTime) first, max(eventTime) last from history").df()'''),
    new_code_cell('''con.execute("select principal, count(*) events, count(distinct verb || ' ' || resource) actions "
            "from history group by 1 order by events desc limit 15").df()'''),
    new_markdown_cell("## 2. Write actions by humans (not platform identities)"),
    new_code_cell('''writes = con.execute("""
    select eventTime, principal, verb, resource, coalesce(subresource, '') as subresource, namespace, objectName
    from history
    where verb in ('create', 'update', 'patch', 'delete')
      and principal not like 'system:%' and principal not in ('aksService', 'hcpService')
    order by eventTime""").df()
writes.head(20)'''),
    new_markdown_cell("## 3. Pairs of actions by the same principal within 10 minutes\n\nThese are candidate steps of a sequence. "
                      "Rare pairs are interesting; frequent ones are daily work."),
    new_code_cell('''actions = con.execute("""
    select principal, eventTime, verb || ' ' || resource || coalesce('/' || subresource, '') as action, namespace, objectName
    from history where principal is not null""").df()
pairs = actions.merge(actions, on="principal", suffixes=("_1", "_2"))
pairs = pairs[(pairs.eventTime_2 > pairs.eventTime_1) & (pairs.eventTime_2 - pairs.eventTime_1 <= pd.Timedelta(minutes=10))]
pairs = pairs[pairs.action_1 != pairs.action_2]
counts = pairs.groupby(["action_1", "action_2"]).size().rename("times").reset_index().sort_values("times")
counts.head(15)'''),
    new_markdown_cell("## 4. Draft the pattern\n\nPick a rare pair whose first step creates an object and whose second acts on it, "
                      "and write it as a two-step sequence keyed on the actor and the object."),
    new_code_cell('''candidates = counts[counts.action_1.str.startswith("create ") & counts.action_2.str.contains("/")]
first, second = (candidates.iloc[0][["action_1", "action_2"]] if len(candidates) else ("create pods", "create pods/exec"))
def where(action):
    verb, rest = action.split(" ", 1)
    resource, _, sub = rest.partition("/")
    cond = {"verb": verb, "objectRef.resource": resource}
    cond["objectRef.subresource"] = sub if sub else {"exists": False}
    return cond
draft = {
    "id": "draft-" + first.split()[1].replace("/", "-") + "-then-" + second.split()[1].replace("/", "-"),
    "title": f"{first} then {second} by the same principal",
    "severity": "medium",
    "key": {"actor": "principal", "namespace": "objectRef.namespace", "name": "objectName"},
    "within": "10m",
    "steps": [{"name": "first", "where": where(first)}, {"name": "second", "where": where(second)}],
}
print(json.dumps(draft, indent=2))'''),
    new_markdown_cell("Save it as YAML in `cep-patterns/`, add a firing and a quiet test, then:\n\n```sh\n./chainwatch patterns "
                      "validate && ./chainwatch patterns test <id> && ./chainwatch patterns explain <id>\n./chainwatch backtest "
                      "--history <history> --out /tmp/bt\n```"),
]

for nb in (tune, explore):
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbformat.write(tune, os.path.join(HERE, "tune-a-noisy-pattern.ipynb"))
nbformat.write(explore, os.path.join(HERE, "explore-history-for-a-new-sequence.ipynb"))
print("wrote 2 notebooks")
