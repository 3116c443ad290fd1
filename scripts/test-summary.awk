# Reads the output of `cargo test -- --show-output` (scripts/test.sh): prints it
# without the captured output of passing tests, then one closing line
#   test.sh: N passed, N failed, N skipped
# where "skipped" counts the tests that printed a skip notice (a line with
# `notice:`, `skipping:` or `skipped`), each listed by name just above it.
/^successes:$/ { in_ok = 1; next }
/^failures:$/ { in_ok = 0 }
/^test result:/ {
  in_ok = 0
  for (i = 1; i <= NF; i++) {
    if ($(i + 1) ~ /^passed/) passed += $i
    if ($(i + 1) ~ /^failed/) failed += $i
  }
  print
  next
}
in_ok && /^---- .* stdout ----$/ { name = $2; next }
in_ok {
  if ($0 ~ /(notice:|skipping:|skipped)/ && name != "") {
    if (!(name in seen)) { seen[name] = $0; order[++n] = name }
  }
  next
}
{ print }
END {
  for (i = 1; i <= n; i++) printf "skipped: %s — %s\n", order[i], seen[order[i]]
  printf "test.sh: %d passed, %d failed, %d skipped\n", passed, failed, n
}
