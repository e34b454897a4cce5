#!/usr/bin/env bash
# security.md H2: kill -9 during a bulk import loses no committed batch and leaves no partial one;
# the resumed job continues from the last committed batch.
#
# The job: ROWS synthetic leads (valid GB 11643 resident IDs in a district of the generated city,
# every one a new person) split into files of BATCH rows, imported in order by
# `cordon import leads`, one process per file. A file is one batch: one write transaction with
# its lead_imports row (the job table) and its `leads.import` audit row. Resuming is running the
# same list again: a file already imported is answered from lead_imports (same bytes, same hash)
# and changes nothing; the first file not committed is imported from its start.
#
# Each loop resumes the job, SIGKILLs it (the runner shell and its cordon together, one process
# group) after a random 0.1-5 s, then checks the database as the next process finds it:
#   (a) PRAGMA integrity_check = ok, and foreign_key_check finds nothing;
#   (b) the committed batches are files 1..k of the list, in order, each with accepted = its
#       rows (merged = rejected = 0: every row names a new person); people, tasks and leads each
#       grew by exactly the sum of accepted over lead_imports;
#   (c) the people of the list on file are exactly those of the committed files (none of a
#       batch in flight), and every lead belongs to a committed import, accepted of them each;
#   (d) the `leads.import` audit rows are the lead_imports rows, one each; `cordon audit verify`;
# When a loop's job had finished before its kill, (e) is checked and the next loop starts a new
# job on a fresh copy of the city. After the loops the job is resumed to the end without a kill:
#   (e) every file committed once, exactly ROWS distinct people of the list, one file each.
#
# Usage: tests/long/kill_import.sh [LOOPS] [ROWS] [SEED]
#   LOOPS default 200, ROWS default 100000, SEED default the clock (printed, to reproduce the
#   data and the delays; where a kill lands also depends on the machine's speed).
# Environment: CORDON_BINARY (default build/cordon), KILL_IMPORT_BATCH (rows per file, default
#   10000), KILL_IMPORT_POPULATION (the generated city, default 1000).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
loops=${1:-200}
rows=${2:-100000}
seed=${3:-$(date +%s)}
batch=${KILL_IMPORT_BATCH:-10000}
population=${KILL_IMPORT_POPULATION:-1000}
cordon=${CORDON_BINARY:-$root/build/cordon}

fail() {
  echo "kill_import: FAIL: $*" >&2
  exit 1
}
for n in "$loops" "$rows" "$seed" "$batch" "$population"; do
  [[ "$n" =~ ^[0-9]+$ ]] || fail "LOOPS, ROWS, SEED and the KILL_IMPORT_ settings are numbers ('$n')"
done
((rows > 0 && batch > 0)) || fail "ROWS and KILL_IMPORT_BATCH must be positive"
[[ -x "$cordon" ]] || fail "no cordon binary at $cordon (set CORDON_BINARY)"
command -v python3 >/dev/null || fail "python3 is needed for the checks"

work=$(mktemp -d /tmp/cordon-kill-import-XXXXXX)
runner=0
cleanup() {
  if ((runner > 0)); then
    kill -KILL -- "-$runner" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pristine=$work/pristine
data=$work/data
list=$work/list
mkdir -p "$list"
batches=$(((rows + batch - 1) / batch))
echo "kill_import: $loops loops, $rows rows in $batches files of $batch, seed $seed"
echo "kill_import: reproduce with: CORDON_BINARY=$cordon KILL_IMPORT_BATCH=$batch" \
  "tests/long/kill_import.sh $loops $rows $seed"
RANDOM=$seed

# --- The city and the list --------------------------------------------------------------------
"$cordon" demo --generate-only --data "$pristine" --population "$population" --seed 1 \
  >"$work/demo.log" 2>&1 || {
  cat "$work/demo.log" >&2
  fail "cordon demo --generate-only failed"
}

cat >"$work/generate.py" <<'PY'
# ROWS leads, each a new adult person: a valid GB 11643 resident ID (district of the city,
# birth 1950-2000), a unique mobile, an address in a building of the city. Written as
# batch-NNNN.csv files of BATCH rows.
import datetime, os, random, sqlite3, sys

db, out_dir = sys.argv[1], sys.argv[2]
rows, batch, seed = (int(a) for a in sys.argv[3:6])
rng = random.Random(seed)
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
county = con.execute("SELECT code FROM regions WHERE level = 2 ORDER BY code LIMIT 1").fetchone()[0]
# The database holds ID numbers and phones sealed (security.md B3). A resident ID is its masked
# form's ends around the birth date, so the numbers on file are known; of phones, the masked
# forms, which new phones avoid.
taken_ids = {m[:6] + b.replace("-", "") + m[14:] for m, b in con.execute(
    "SELECT id_number_masked, birth_date FROM people WHERE id_type = 'resident_id'")}
taken_phones = {r[0] for r in con.execute("SELECT phone_masked FROM people")}
buildings = sorted({a[:a.index("栋") + 1] for (a,) in con.execute("SELECT address FROM households")
                    if "栋" in a})
con.close()
if len(county) != 6 or not buildings:
    sys.exit(f"unexpected city: county code {county!r}, {len(buildings)} buildings")

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def check_character(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]

first = datetime.date(1950, 1, 1).toordinal()
last = datetime.date(2000, 12, 31).toordinal()
surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞建国志文斌辉宇浩婷雪琳晨欣怡子涵梓轩睿博思雨嘉佳乐安宁"
categories = ["密接", "次密接", "入境", "高风险区来返", "中风险区来返", "低风险区来返", "发热", "待研判"]
origins = ["上海市浦东新区", "广州市白云区", "北京市朝阳区", "深圳市宝安区", "西安市雁塔区", "厦门市思明区", ""]
segments = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
            "155", "157", "158", "159", "166", "176", "177", "180", "181", "183", "185", "186",
            "187", "188", "189", "191", "193", "195"]
def masked(id_number, phone):
    return (id_number[:6] + "*" * 8 + id_number[14:], phone[:3] + "****" + phone[7:])

ids, phones, keys, out = set(), set(), set(), []
while len(out) < rows:
    born = datetime.date.fromordinal(rng.randint(first, last))
    first17 = f"{county}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    id_number = first17 + check_character(first17)
    phone = rng.choice(segments) + f"{rng.randint(0, 99999999):08d}"
    key = masked(id_number, phone)
    if (id_number in ids or id_number in taken_ids or phone in phones or key[1] in taken_phones
            or key in keys):
        continue
    ids.add(id_number)
    phones.add(phone)
    keys.add(key)
    name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2)))
    unit, floor, door = rng.randint(1, 3), rng.randint(1, 18), rng.randint(1, 4)
    address = f"{rng.choice(buildings)}{unit}单元{floor}{door:02d}室"
    out.append((name, id_number, phone, address, rng.choice(origins), rng.choice(categories)))
for start in range(0, rows, batch):
    path = os.path.join(out_dir, f"batch-{start // batch + 1:04d}.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("姓名,身份证号,手机号,现住址,来源地,人员类别\r\n")
        for r in out[start:start + batch]:
            f.write(",".join(r) + "\r\n")
PY

cat >"$work/check.py" <<'PY'
# Checks (a)-(d) on the database as a killed job left it, and (e) when asked. Prints
# "COMMITTED <k>" and exits 0, or prints what is wrong and exits 1.
import csv, glob, os, sqlite3, sys

def unreadable(kind, error, tb):
    if issubclass(kind, sqlite3.DatabaseError):
        print(f"(a) the database cannot be read: {error}")
        sys.exit(1)
    sys.__excepthook__(kind, error, tb)
sys.excepthook = unreadable

db, list_dir, base_file, want_complete = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
errors = []
def expect(ok, message):
    if not ok:
        errors.append(message)

files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(list_dir, "batch-*.csv")))
ids_of = {}
for name in files:
    with open(os.path.join(list_dir, name), encoding="utf-8", newline="") as f:
        # Each person by their masked ID number and phone, all the database shows (security.md B3).
        ids_of[name] = [(r[1][:6] + "*" * 8 + r[1][14:], r[2][:3] + "****" + r[2][7:])
                        for r in list(csv.reader(f))[1:]]
with open(base_file) as f:
    base = {k: int(v) for k, v in (line.split() for line in f)}

con = sqlite3.connect(db)
one = lambda sql, *a: con.execute(sql, a).fetchone()[0]

# (a)
integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
expect(integrity == ["ok"], f"(a) integrity_check: {integrity[:5]}")
fk = con.execute("PRAGMA foreign_key_check").fetchall()
expect(not fk, f"(a) foreign_key_check: {len(fk)} rows, first {fk[:3]}")

# (b) the job table: a prefix of the list, in order, each file whole.
imports = con.execute("SELECT id, file_name, accepted, merged, rejected, length(report) "
                      "FROM lead_imports ORDER BY id").fetchall()
names = [r[1] for r in imports]
k = len(imports)
expect(names == files[:k],
       f"(b) committed files are not the first {k} of the list in order: {names}")
for id_, name, accepted, merged, rejected, report_len in imports:
    n = len(ids_of.get(name, []))
    expect((accepted, merged, rejected) == (n, 0, 0) and report_len > 2,
           f"(b) import {id_} ({name}): accepted={accepted} merged={merged} "
           f"rejected={rejected} report={report_len} bytes, file has {n} rows")
accepted = sum(r[2] for r in imports)
for table in ("people", "tasks", "leads"):
    grown = one(f"SELECT COUNT(*) FROM {table}") - base[table]
    expect(grown == accepted,
           f"(b) {table} grew by {grown}, committed imports accepted {accepted}")

# (c) nothing of a batch that did not commit.
committed = set(names)
want = {i for name in names for i in ids_of[name]}
listed = {i for name in files for i in ids_of[name]}
on_file = {}
for key in con.execute("SELECT id_number_masked, phone_masked FROM people"):
    if key in listed:
        on_file[key] = on_file.get(key, 0) + 1
stray = listed & on_file.keys() - want
missing = want - on_file.keys()
twice = [i for i, c in on_file.items() if c > 1]
expect(not stray,
       f"(c) {len(stray)} people of uncommitted batches on file, e.g. {sorted(stray)[:3]}")
expect(not missing,
       f"(c) {len(missing)} people of committed batches missing, e.g. {sorted(missing)[:3]}")
expect(not twice, f"(c) {len(twice)} ID numbers on file twice, e.g. {twice[:3]}")
by_import = dict(con.execute("SELECT COALESCE(import_id, 0), COUNT(*) FROM leads GROUP BY 1"))
expect(by_import == {r[0]: r[2] for r in imports if r[2]},
       f"(c) leads by import id {by_import} differ from the committed imports' accepted")
tasks_of_list = one("SELECT COUNT(*) FROM tasks t JOIN leads l ON l.task_id = t.id "
                    "JOIN lead_imports i ON i.id = l.import_id WHERE t.person_id = l.person_id")
expect(tasks_of_list == accepted,
       f"(c) {tasks_of_list} tasks joined to committed leads, want {accepted}")

# (d) one audit row per committed import, no more.
audited = con.execute("SELECT object_id, outcome FROM audit WHERE action = 'leads.import' "
                      "ORDER BY id").fetchall()
expect(len(audited) - base["audit_imports"] == k
       and [int(o) for o, _ in audited[base["audit_imports"]:]] == [r[0] for r in imports]
       and all(o == "ok" for _, o in audited),
       f"(d) leads.import audit rows {audited[:12]} differ from lead_imports ids "
       f"{[r[0] for r in imports]}")

# (e) the finished job: every file once, exactly the list's people, each once.
if want_complete:
    expect(k == len(files), f"(e) {k} of {len(files)} files committed")
    expect(len(on_file) == len(listed) and not twice,
           f"(e) {len(on_file)} distinct people of the list on file, want {len(listed)}")

con.close()
if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"COMMITTED {k}")
PY

python3 "$work/generate.py" "$pristine/cordon.db" "$list" "$rows" "$batch" "$seed" ||
  fail "generating the list failed"
# The counts before any import: the checks measure growth from these.
python3 - "$pristine/cordon.db" >"$work/base" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for table in ("people", "tasks", "leads"):
    print(table, con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
print("audit_imports",
      con.execute("SELECT COUNT(*) FROM audit WHERE action = 'leads.import'").fetchone()[0])
print("lead_imports", con.execute("SELECT COUNT(*) FROM lead_imports").fetchone()[0])
PY
grep -qx 'lead_imports 0' "$work/base" || fail "the generated city already has lead imports"
listed=$(cat "$list"/batch-*.csv | wc -l)
((listed == rows + batches)) ||
  fail "the list has $listed lines, want $rows rows and $batches headers"

# --- The job ----------------------------------------------------------------------------------
# Imports every file of the list in order, one cordon process per file. Leaves the file it is on
# in $work/current and a line per finished import in $work/timings ("new" or "replay", ms).
run_job() {
  local f start end first
  for f in "$list"/batch-*.csv; do
    basename "$f" >"$work/current.new"
    mv "$work/current.new" "$work/current"  # whole, wherever the kill lands
    start=$(date +%s%N)
    if ! "$cordon" import leads --data "$data" "$f" >"$work/import.out" 2>"$work/import.err"; then
      echo "cordon import leads $(basename "$f") failed: $(head -c 2000 "$work/import.err")" \
        >"$work/job.failed"
      return 1
    fi
    end=$(date +%s%N)
    first=$(head -n 1 "$work/import.out")
    if [[ "$first" == "this file was imported before"* ]]; then
      echo "replay $(((end - start) / 1000000))" >>"$work/timings"
    else
      echo "new $(((end - start) / 1000000))" >>"$work/timings"
    fi
  done
  echo "done" >"$work/current.new"
  mv "$work/current.new" "$work/current"
}

new_job() {
  rm -rf "$data"
  cp -a "$pristine" "$data"
  rm -f "$work/current" "$work/current.new"
}

alive() {  # alive PGID: a process of the group that has not exited (from /proc: no procps)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } |  # a process may end between glob and read
    awk -v g="$1" '{ sub(/.*\) /, "") } $3 == g && $1 != "Z" { found = 1 } END { exit !found }'
}

check() {  # check WANT_COMPLETE: runs the checks, sets $committed
  local out
  if ! out=$(python3 "$work/check.py" "$data/cordon.db" "$list" "$work/base" "$1" 2>&1); then
    fail "after loop $loop (seed $seed):"$'\n'"$out"
  fi
  committed=${out#COMMITTED }
  if ! out=$("$cordon" audit verify --data "$data" 2>&1); then
    fail "cordon audit verify after loop $loop (seed $seed): $out"
  fi
}

started=$(date +%s)
: >"$work/timings"
new_job
committed=0
jobs_finished=0
in_flight=0     # kills while a file not yet committed was being imported
after_commit=0  # kills after a new file committed, before its process ended
replaying=0     # kills while a file committed before was answered again
after_done=0    # kills that came after the whole list was in
loop=0
kills=0
for ((loop = 1; loop <= loops; loop++)); do
  before=$committed
  ms=$((100 + RANDOM % 4901))
  set -m
  run_job &
  runner=$!
  set +m
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
  kill -KILL -- "-$runner" 2>/dev/null || true
  { wait "$runner"; } 2>/dev/null || true
  # The cordon child is left to init: wait until it has exited (a zombie holds no file).
  for ((t = 0; t < 200; t++)); do
    alive "$runner" || break
    sleep 0.05
  done
  ! alive "$runner" || fail "loop $loop: the killed import is still running"
  runner=0
  [[ ! -e "$work/job.failed" ]] || fail "loop $loop: $(cat "$work/job.failed")"
  current=$(cat "$work/current" 2>/dev/null || echo none)
  if [[ "$current" == "done" ]]; then
    check 1
    after_done=$((after_done + 1))
    jobs_finished=$((jobs_finished + 1))
    what="the job had finished before the kill: (e) holds; the next loop starts a new job"
  else
    check 0
    index=0
    if [[ "$current" =~ ^batch-([0-9]+)\.csv$ ]]; then
      index=$((10#${BASH_REMATCH[1]}))
    fi
    if ((index > committed)); then
      in_flight=$((in_flight + 1))
      what="killed in $current, which had not committed: rolled back"
    elif ((index > before)); then
      after_commit=$((after_commit + 1))
      what="killed after $current committed, before the next file began"
    elif ((index > 0)); then
      replaying=$((replaying + 1))
      what="killed while $current, committed before, was answered from lead_imports"
    else
      replaying=$((replaying + 1))
      what="killed before the first file started"
    fi
  fi
  echo "loop $loop: kill after ${ms} ms, $what; committed $before -> $committed of $batches"
  if [[ "$current" == "done" ]]; then
    new_job
    committed=0
  fi
  kills=$((kills + 1))
done
# An expansion error ends a bash loop early without tripping set -e: count what really ran.
((kills == loops)) || fail "only $kills of $loops loops ran"

# --- Resume to the end ------------------------------------------------------------------------
echo "resuming the job to the end without a kill"
run_job || fail "$(cat "$work/job.failed" 2>/dev/null || echo "the resumed job failed")"
check 1
jobs_finished=$((jobs_finished + 1))
elapsed=$(($(date +%s) - started))
# Rows per second of the files whose import ran to the end (the last file may be shorter).
throughput=$(awk -v b="$batch" '$1 == "new" { ms += $2; n++ }
  END { if (ms > 0) printf "%d", n * b * 1000 / ms; else print "n/a" }' "$work/timings" ||
  echo n/a)
echo "kill_import: OK: $kills kills: $in_flight in a batch not yet committed (rolled back)," \
  "$after_commit just after a batch committed (before the next began), $replaying while a" \
  "committed batch was answered again, $after_done after the job had finished; after each," \
  "integrity_check, counts, no rows of an uncommitted batch, audit rows and cordon audit verify" \
  "held. $jobs_finished jobs ended with exactly $rows distinct people. ${elapsed} s;" \
  "import ~${throughput} rows/s. Seed $seed"
