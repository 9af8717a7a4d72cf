#!/usr/bin/env bash
# Smoke run of the libFuzzer targets (preset `fuzz`, build/fuzz): builds them, prepares a seed
# corpus per target in a scratch folder (conformance corpora in ../shared and our own fixtures),
# runs each target for FUZZ_SECONDS and fails naming the crash file when one finds a crash.
# Run by scripts/run-tests.sh (`make test`) and `make fuzz-smoke`; see fuzz/README.md.
#
#   scripts/fuzz-smoke.sh [TARGET...]              build, seed and run (default: every target)
#   scripts/fuzz-smoke.sh --seeds DIR [TARGET...]  only write the seed corpora to DIR/<target>/
#
# Environment: FUZZ_SECONDS (15 per target; 0 skips the smoke run), FUZZ_SEED (1: the same inputs
# in the same order on every run), JOBS (build parallelism, default nproc), UBSAN_OPTIONS (default:
# stop at the first report, but for the known findings in fuzz/ubsan.supp).
# Runs hold the lock build/fuzz/.fuzz.lock, so two of them never build or fuzz at the same time.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
shared="$(dirname "$repo")/shared"
build_dir="$repo/build/fuzz"
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
FUZZ_SEED=${FUZZ_SEED:-1}
JOBS=${JOBS:-$(nproc)}

# Longest input each target is fed (libFuzzer truncates longer seeds, so no seed is larger).
declare -A max_len=(
  [fuzz_csv_reader]=65536
  [fuzz_hr_files]=65536
  [fuzz_parquet_reader]=131072
  [fuzz_pgoutput]=4096
  [fuzz_debezium_json]=65536
  [fuzz_delta_log]=65536
  [fuzz_delta_checkpoint]=65536
  [fuzz_snappy_decoder]=65536
  [fuzz_lake_value]=256
  [fuzz_distance_replies]=4096
  [fuzz_http_head]=20000
  [fuzz_accept_language]=4096
  [fuzz_aws_profile]=8192
  [fuzz_search_fold]=4096
  [fuzz_s3_xml]=65536
)
all_targets=(fuzz_csv_reader fuzz_hr_files fuzz_parquet_reader fuzz_pgoutput fuzz_debezium_json fuzz_delta_log
  fuzz_delta_checkpoint fuzz_snappy_decoder fuzz_lake_value fuzz_distance_replies fuzz_http_head
  fuzz_accept_language fuzz_aws_profile fuzz_search_fold fuzz_s3_xml)

# Seeds that are small on disk but decompress to gigabytes: they measure memory, not find bugs
# (large_string_map.brotli.parquet holds a 2 GB page; the slow conformance test reads it).
skip_seeds=(large_string_map.brotli.parquet)

say() { echo "fuzz-smoke: $*" >&2; }

seeds_only=""
if [ "${1:-}" = "--seeds" ]; then
  seeds_only=${2:?"--seeds needs a folder"}
  shift 2
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  [ -n "${max_len[$target]:-}" ] || { say "unknown target '$target' (${all_targets[*]})"; exit 2; }
done
if [ -z "$seeds_only" ] && [ "$FUZZ_SECONDS" = "0" ]; then
  say "FUZZ_SECONDS=0, skipped"
  exit 0
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/sl-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# add_seeds DIR SOURCE FIND-ARGS...: the files below SOURCE matching FIND-ARGS into corpus DIR,
# named by their hash (identical seeds collapse), but for those larger than the target's max_len
# or listed in skip_seeds. A missing SOURCE only skips these seeds, with a message.
add_seeds() {
  local dir=$1 source=$2 max hash file skip
  shift 2
  if [ ! -d "$source" ]; then
    say "$(basename "$dir"): no $source, these seeds skipped"
    return 0
  fi
  max=${max_len[$(basename "$dir")]}
  mkdir -p "$dir"
  while read -r hash file; do
    for skip in "${skip_seeds[@]}"; do [ "${file##*/}" != "$skip" ] || continue 2; done
    cp "$file" "$dir/$hash"
  done < <(find "$source" -type f -size +0 -size -$((max + 1))c \( "$@" \) -print0 |
    xargs -0r sha1sum)
}

# add_bytes DIR NAME PRINTF-FORMAT: seed NAME written by printf (binary messages).
add_bytes() {
  mkdir -p "$1"
  # shellcheck disable=SC2059  # the format is the message
  printf "$3" >"$1/$2"
}

# The Delta golden tables, unpacked once (on first use) for the three targets that read their files.
golden="$scratch/delta-golden"
unpack_golden() {
  [ ! -d "$golden" ] || return 0
  mkdir -p "$golden"
  [ -d "$shared/conformance/delta-golden" ] ||
    say "no $shared/conformance/delta-golden, the Delta golden tables' seeds skipped"
  local archive
  for archive in "$shared"/conformance/delta-golden/*.tar.zst; do
    [ -f "$archive" ] || continue
    zstd -dcq "$archive" | tar -x -C "$golden" --warning=no-unknown-keyword
  done
}

seed_fuzz_parquet_reader() {
  add_seeds "$1" "$shared/conformance/parquet-testing/data" -name '*.parquet*' -not -name '*.json'
  add_seeds "$1" "$shared/conformance/parquet-testing/bad_data" -name '*.parquet'
  add_seeds "$1" "$repo/src/parquet/tests/corpus" -name '*'
  # Nested columns with nulls at every level, in several page layouts (fuzz/seeds/make_seeds.py).
  add_seeds "$1" "$repo/fuzz/seeds/fuzz_parquet_reader" -name '*.parquet'
  # Spark's files: data, expected rows and checkpoints (nested structs, maps, decimals, INT96).
  unpack_golden
  add_seeds "$1" "$golden" -name '*.parquet'
}

seed_fuzz_delta_checkpoint() {
  unpack_golden
  add_seeds "$1" "$golden" -path '*/_delta_log/*' \( -name '*.checkpoint*.parquet' \
    -o -name _last_checkpoint \)
  # A checkpoint with typed stats only (no JSON add.stats): its add.stats_parsed is decoded.
  add_seeds "$1" "$repo/fuzz/seeds/fuzz_delta_checkpoint" -name '*.parquet'
}

seed_fuzz_delta_log() {
  unpack_golden
  add_seeds "$1" "$golden" -path '*/_delta_log/*' -name '*.json'
  # The target also parses its input as a schemaString: the tables' schemas, alone.
  python3 - "$golden" "$scratch/schemas" <<'EOF'
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(exist_ok=True)
schemas = set()
for commit in pathlib.Path(sys.argv[1]).glob("**/_delta_log/*.json"):
    for line in commit.read_text(errors="replace").splitlines():
        try:
            schemas.add(json.loads(line).get("metaData", {}).get("schemaString"))
        except (ValueError, AttributeError):
            pass
for n, schema in enumerate(sorted(s for s in schemas if isinstance(s, str))):
    (out / f"{n}.json").write_text(schema)
EOF
  add_seeds "$1" "$scratch/schemas" -name '*.json'
}

seed_fuzz_debezium_json() {
  # The target reads "key JSON \n value JSON"; the golden events hold {"topic", "key", "value"}.
  local fixtures="$repo/src/cdc/tests/fixtures/debezium"
  if [ ! -d "$fixtures" ]; then
    say "fuzz_debezium_json: no $fixtures, these seeds skipped"
    return 0
  fi
  python3 - "$fixtures" "$scratch/debezium" <<'EOF'
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(exist_ok=True)
for fixture in pathlib.Path(sys.argv[1]).glob("*.json"):
    event = json.loads(fixture.read_text())
    compact = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    (out / f"{fixture.stem}.kv").write_text(compact(event["key"]) + "\n" + compact(event["value"]))
    (out / f"{fixture.stem}.v").write_text(compact(event["value"]))
    # The poison forms a consumer must report and skip (tests/bus/test_poison_records.py).
    value = event["value"]
    if not (isinstance(value, dict) and "schema" in value and (value.get("payload") or {}).get("after")):
        continue
    text = compact(value)
    (out / f"{fixture.stem}.truncated").write_text(text[: len(text) // 2])
    mismatched = json.loads(text)
    first = next(iter(mismatched["payload"]["after"]))
    mismatched["payload"]["after"][first] = "not a number"
    (out / f"{fixture.stem}.mismatched").write_text(compact(mismatched))
    unknown = dict(value, schema={"type": "struct", "fields": [{"field": "after", "type": "no-such-type"}]})
    (out / f"{fixture.stem}.unknown_schema").write_text(compact(unknown))
(out / "invalid_json").write_text('{"schema": oops, }')
(out / "not_debezium").write_text('{"id":1}\n{"hello":"world"}')
EOF
  add_seeds "$1" "$scratch/debezium" -name '*'
}

seed_fuzz_csv_reader() {
  add_seeds "$1" "$repo/data/sample" -name '*.csv'
  # Windows-1252 and a UTF-8 BOM, as the HR exports come.
  add_bytes "$1" cp1252.csv 'ID salari\xe9;Nom\r\n1;"Andr\xe9, ""D\xe9d\xe9"""\r\n'
  add_bytes "$1" bom.csv '\xef\xbb\xbfID salari\xc3\xa9,Nom\n1,"L\xc3\xa9a\nsur deux lignes"\n'
  # An unbalanced quote, and Windows-1252 holding one accidental UTF-8 sequence.
  add_bytes "$1" unbalanced.csv 'a,b\n1,"open\n2,3\n4,"x"\n'
  add_bytes "$1" cp1252_accident.csv 'Pr\xe9nom,L\xe9vy\nAndr\xc3\xa9,Zo\xe9\n'
}

seed_fuzz_hr_files() {
  add_seeds "$1" "$repo/data/sample" -name '*.csv'
  local header='ID salari\xc3\xa9,Nom,Pr\xc3\xa9nom,Date de naissance,BU,Date d'"'"'embauche,Salaire brut,Type de contrat,Nombre de jours de CP,Adresse du domicile,Moyen de d\xc3\xa9placement'
  local row='1,A,B,1/2/1990,R&D,1/1/2020,30000,CDI,25,"1 rue X, 34000 Y",Marche/running'
  add_bytes "$1" rh_unbalanced.csv "$header\\n2,A,\"B,1/2/1990,R&D,1/1/2020,NaN,CDI,25,x,Marche/running\\n$row\\n"
  add_bytes "$1" rh_semicolon.csv "$(printf '%s\\n%s' "$header" "$row" | tr ',' ';')\\n"
  add_bytes "$1" sport_cp1252.csv 'ID salari\xe9,Pratique d'"'"'un sport\n1,Randonn\xe9e\n2,Andr\xc3\xa9\n'
}

seed_fuzz_pgoutput() {
  # One message of each kind, as src/pg/pgoutput_decoder.hpp gives the grammar (big-endian).
  local dir=$1 lsn='\x00\x00\x00\x16\xb3\x74\xd8\x48' time='\x00\x02\xcb\x3a\x6e\x4f\x21\x00'
  local oid='\x00\x00\x40\x00' tuple='\x00\x03t\x00\x00\x00\x0242nu'
  add_bytes "$dir" begin "B${lsn}${time}\\x00\\x00\\x03\\x09"
  add_bytes "$dir" commit "C\\x00${lsn}${lsn}${time}"
  add_bytes "$dir" origin "O${lsn}origin_a\\x00"
  add_bytes "$dir" relation "R${oid}public\\x00strava_activities\\x00f\\x00\\x03\
\\x01activity_id\\x00\\x00\\x00\\x00\\x14\\xff\\xff\\xff\\xff\
\\x00name\\x00\\x00\\x00\\x00\\x19\\xff\\xff\\xff\\xff\
\\x00distance\\x00\\x00\\x00\\x06\\xa4\\x00\\x0c\\x00\\x06"
  add_bytes "$dir" type "Y${oid}public\\x00mood\\x00"
  # Columns of the types Debezium leaves out or nulls (box, bit(3)[]): the same wire form.
  add_bytes "$dir" relation-geometric "R${oid}public\\x00geo\\x00d\\x00\\x02\
\\x00b\\x00\\x00\\x00\\x02\\x5b\\xff\\xff\\xff\\xff\
\\x00ab\\x00\\x00\\x00\\x06\\x19\\x00\\x00\\x00\\x03"
  add_bytes "$dir" insert "I${oid}N${tuple}"
  add_bytes "$dir" update "U${oid}O${tuple}N\\x00\\x03b\\x00\\x00\\x00\\x02\\x00\\x2ann"
  add_bytes "$dir" update-key "U${oid}K${tuple}N${tuple}"
  add_bytes "$dir" delete "D${oid}K${tuple}"
  add_bytes "$dir" truncate "T\\x00\\x00\\x00\\x02\\x01${oid}\\x00\\x00\\x40\\x01"
  add_bytes "$dir" message "M\\x01${lsn}sportlake\\x00\\x00\\x00\\x00\\x05hello"
}

seed_fuzz_lake_value() {
  # First byte: the column type (index into k_types of fuzz/lake_value_fuzz.cpp), then the text
  # PostgreSQL sends for it.
  local dir=$1
  add_bytes "$dir" bool '\x00t'
  add_bytes "$dir" int4 '\x02-2147483648'
  add_bytes "$dir" int8 '\x039223372036854775807'
  add_bytes "$dir" float8 '\x05-1.5e-300'
  add_bytes "$dir" numeric '\x0645678.90'
  add_bytes "$dir" numeric38 '\x07-12345678901234567890123456789012.123456'
  add_bytes "$dir" numeric-nan '\x06NaN'
  add_bytes "$dir" date '\x0a2024-02-29'
  add_bytes "$dir" timestamp '\x0b2025-01-31 09:30:00.123456'
  add_bytes "$dir" timestamptz '\x0c2025-01-31 09:30:00.5+05:30:15'
  add_bytes "$dir" bytea '\x0d\\x00ff10'
  add_bytes "$dir" date-bc '\x0a0044-03-15 BC'
  add_bytes "$dir" date-infinity '\x0a-infinity'
  add_bytes "$dir" timestamp-5-digit-year '\x0b10000-01-01 00:00:00.5'
  add_bytes "$dir" timestamptz-bc '\x0c0044-03-15 12:00:00+00:09:21 BC'
  add_bytes "$dir" int4-array-2d '\x15{{1,2},{3,NULL}}'
  add_bytes "$dir" bit1 '\x1a1'
  add_bytes "$dir" bit12 '\x1b101000000001'
  add_bytes "$dir" varbit '\x1c0000000011111111'
  add_bytes "$dir" point '\x1d(1e+300,-1.25e-07)'
  add_bytes "$dir" hstore '\x1e"a"=>"1", "b c"=>NULL, "q\\"x"=>"y"'
  # 34 types: a first byte of 34-67 picks the same type under the second forms (hstore map).
  add_bytes "$dir" hstore-map '\x40"a"=>"1", "b c"=>NULL, "q\\"x"=>"y"'
  add_bytes "$dir" hstore-array '\x1f{"\\"a\\"=>\\"1\\"",NULL,""}'
  add_bytes "$dir" hstore-array-map '\x41{"\\"a\\"=>\\"1\\", b=>NULL",NULL}'
  add_bytes "$dir" bit-array '\x20{101,NULL,010}'
  add_bytes "$dir" box '\x21(3,4),(1,2)'
}

seed_fuzz_http_head() {
  # Request heads as clients send them, and Cookie field values (the same bytes feed both).
  local dir=$1
  add_bytes "$dir" get 'GET /api/years HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer slh_x\r\n\r\n'
  add_bytes "$dir" pipelined 'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /api/years HTTP/1.1\r\n\r\n'
  add_bytes "$dir" body 'POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello'
  add_bytes "$dir" chunked 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'
  add_bytes "$dir" slow 'GET / HTTP/1.1\r\nX-a: b'
  add_bytes "$dir" cookie 'a=1; sportlake_session="slh_abc"; b'
}

seed_fuzz_accept_language() {
  # `?lang=` value, a newline, then an Accept-Language field (fuzz/accept_language_fuzz.cpp).
  local dir=$1
  add_bytes "$dir" browser-en '\nen-GB,en;q=0.9,fr;q=0.8'
  add_bytes "$dir" param 'en\nfr-FR, fr;q=0.9'
  add_bytes "$dir" qvalues '\nde-DE, en;q=0.5, fr;q=0.800'
  add_bytes "$dir" amount '172482.50'
}

seed_fuzz_aws_profile() {
  # The AWS CLI's shared files (the bytes are read as a credentials file and as a config file).
  local dir=$1
  add_bytes "$dir" credentials '[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = s/e+c\n\n[lake]\naws_access_key_id=AKIDLAKE\naws_secret_access_key=x\naws_session_token = t\r\n'
  add_bytes "$dir" config '# comment\n[default]\nregion = eu-west-1\n; c\n[profile lake]\nregion = eu-west-3\nendpoint_url = https://minio.example.com\ns3 =\n  addressing_style = path\n[sso-session corp]\nsso_region = us-east-1\n'
  add_bytes "$dir" bad '[default\nx\n'
}

seed_fuzz_search_fold() {
  # `?q=` values and table cells: accented, decomposed, ligatures, invalid UTF-8.
  local dir=$1
  add_bytes "$dir" accented '\xc3\x89mile J\xc3\xa9r\xc3\xb4me'
  add_bytes "$dir" decomposed 'E\xcc\x81mile'
  add_bytes "$dir" ligatures '\xc5\x92uvre Stra\xc3\x9fe \xc3\x86'
  add_bytes "$dir" invalid '\xc3\x28 \xff\xfe'
}

seed_fuzz_s3_xml() {
  # ListObjectsV2 pages and Error documents as S3-compatible servers answer them.
  local dir=$1
  add_bytes "$dir" list-page '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>lake</Name><Prefix>t/_delta_log/</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>abc</NextContinuationToken><Contents><Key>t/_delta_log/00000000000000000000.json</Key><LastModified>2026-12-05T06:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>123</Size></Contents></ListBucketResult>'
  add_bytes "$dir" error '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate &amp; retry.</Message></Error>'
}

seed_fuzz_distance_replies() {
  # First byte: 5 × (origin count − 1) + parser (fuzz/distance_replies_fuzz.cpp: 0 Distance
  # Matrix, 1 Routes, 2 duration, 3 address, 4 communes file), then the text. Replies as
  # reference/external-apis.md §2 and §3 give them.
  local dir=$1 communes
  communes='REF_INSEE,NAME,DEPARTMENT,ZIP_CODES,LATITUDE,LONGITUDE\n'
  communes+='34108,Frontignan,34,34110,43.4482458873,3.74923522416\n'
  communes+='34129,Lattes,34,34970,43.5638594056,3.90226222861\n'
  communes+='"34247","Saint-Cl\xc3\xa9ment-de-Rivi\xc3\xa8re","34","34980",'
  communes+='"43.6860686936","3.84318936676"\n'
  add_bytes "$dir" matrix-ok '\x05{"origin_addresses":["53 Av. de la Gare, 34970 Lattes, France",
""],
"destination_addresses":["1362 Av. des Platanes, 34970 Lattes, France"],
"rows":[{"elements":[{"status":"OK","distance":{"text":"1,7 km","value":1712},
"duration":{"text":"22 minutes","value":1305}}]},{"elements":[{"status":"NOT_FOUND"}]}],
"status":"OK"}'
  add_bytes "$dir" matrix-denied '\x00{"destination_addresses":[],
"error_message":"The provided API key is invalid.","origin_addresses":[],"rows":[],
"status":"REQUEST_DENIED"}'
  add_bytes "$dir" routes-shuffled '\x0b[{"originIndex":2,"destinationIndex":0,"status":{},
"condition":"ROUTE_EXISTS","distanceMeters":2500,"duration":"1800s"},
{"condition":"ROUTE_EXISTS","distanceMeters":1712,"duration":"1305s"},
{"originIndex":1,"status":{"code":5,"message":"Origin could not be geocoded."},
"condition":"ROUTE_MATRIX_ELEMENT_CONDITION_UNSPECIFIED"}]'
  add_bytes "$dir" routes-not-found '\x01[{"originIndex":0,"destinationIndex":0,"status":{},
"condition":"ROUTE_NOT_FOUND"}]'
  add_bytes "$dir" duration '\x021305s'
  add_bytes "$dir" duration-fraction '\x020.5s'
  add_bytes "$dir" address '\x03128 Rue du Port, 34000 Frontignan'
  add_bytes "$dir" address-no-postcode '\x03Av. de la Mer, Montpellier'
  add_bytes "$dir" communes "\\x04$communes"
  # The same file, then (after a NUL byte) addresses to locate, one a line.
  add_bytes "$dir" communes-locate "\\x04$communes\\x00128 Rue du Port, 34970 Frontignan
Av. de la Mer, lattes
34980"
}

seed_fuzz_snappy_decoder() {
  # Blocks of libsnappy's compressor (through pyarrow, in the project venv) over runs, short
  # periods, counters and text; without the venv the target starts from an empty corpus.
  if [ ! -x "$repo/.venv/bin/python" ]; then
    say "fuzz_snappy_decoder: no .venv (make deps), these seeds skipped"
    return 0
  fi
  mkdir -p "$1"
  "$repo/.venv/bin/python" - "$1" <<'EOF'
import pathlib, struct, sys
import pyarrow as pa
codec, out = pa.Codec("snappy"), pathlib.Path(sys.argv[1])
raw = {
    "run": b"a" * 300, "pairs": b"ab" * 150, "period7": bytes(range(7)) * 60,
    "counters": b"".join(struct.pack("<q", 10_000_000_000 + i) for i in range(500)),
    "text": "Activité de course à pied, 12,3 km; ".encode() * 40, "bytes": bytes(range(256)),
}
for name, data in raw.items():
    (out / name).write_bytes(codec.compress(data).to_pybytes())
EOF
}

if [ -n "$seeds_only" ]; then
  for target in "${targets[@]}"; do
    "seed_$target" "$seeds_only/$target"
    say "$target: $(find "$seeds_only/$target" -type f 2>/dev/null | wc -l) seeds in $seeds_only/$target"
  done
  exit 0
fi

mkdir -p "$build_dir"
exec 9>"$build_dir/.fuzz.lock"
flock -n 9 || { say "waiting for another fuzz run (build/fuzz/.fuzz.lock)"; flock 9; }

started=$SECONDS
[ -f "$build_dir/build.ninja" ] || cmake --preset fuzz >/dev/null
cmake --build "$build_dir" -j "$JOBS" --target "${targets[@]}"
say "build: $((SECONDS - started)) s"

# UBSan stops at the first report (the fuzz build recovers by default, which would let undefined
# behaviour pass unnoticed); fuzz/ubsan.supp lists the known findings awaiting a fix.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$repo/fuzz/ubsan.supp}
out="$build_dir/smoke"
failed=()
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  "seed_$target" "$corpus"
  rm -rf "${out:?}/$target"
  mkdir -p "$corpus" "$out/$target"
  seeds=$(find "$corpus" -type f | wc -l)
  log="$out/$target.log"
  t0=$SECONDS
  # -rss_limit_mb also caps a single allocation; -timeout flags an input slower than 10 s as a
  # hang (inputs here take milliseconds), well clear of a busy machine's noise.
  if "$build_dir/fuzz/$target" -max_total_time="$FUZZ_SECONDS" -seed="$FUZZ_SEED" \
    -max_len="${max_len[$target]}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$out/$target/" "$corpus" >"$log" 2>&1; then
    runs=$(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
    say "$target: $seeds seeds, $runs runs, $coverage in $((SECONDS - t0)) s"
  else
    failed+=("$target")
    tail -n 60 "$log" >&2
    say "$target FAILED: $(grep -m1 -o 'SUMMARY: .*' "$log" || echo "see $log")"
    for crash in $(grep -o 'Test unit written to .*' "$log" | cut -d' ' -f5); do
      say "$target: crash file $crash; reproduce: build/fuzz/fuzz/$target $crash"
    done
    say "$target: full log $log"
  fi
done
say "$((SECONDS - started)) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  say "crash found by: ${failed[*]}"
  exit 1
fi
