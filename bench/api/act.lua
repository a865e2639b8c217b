-- wrk script for bench/api/run-seam: officer actions. Each request accepts one submitted dossier
-- (POST /api/v1/dossiers/{code}/actions {"action":"accept","expected_version":V}) as the
-- desk officer whose bearer token is BENCH_TOKEN. The dossiers are the lines "CODE VERSION" of
-- the file BENCH_DOSSIERS (bench/api/submit_many.py writes it); each wrk thread takes its own
-- share, so every dossier is acted on once and no action waits for another. When a thread has
-- used up its share it sends actions on a dossier that does not exist (404: the run shows
-- non-2xx answers) and done() reports how many. BENCH_THREADS must equal wrk's -t.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  local count = tonumber(os.getenv("BENCH_THREADS"))  -- wrk's -t
  queue, next_one, exhausted, failures = {}, 1, 0, 0
  local i = 0
  for line in io.lines(os.getenv("BENCH_DOSSIERS")) do
    local code, version = line:match("^(%S+) (%d+)$")
    if code and i % count == id then table.insert(queue, {code, version}) end
    i = i + 1
  end
  size = #queue
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
request = function()
  local d = queue[next_one]
  next_one = next_one + 1
  if not d then
    exhausted = exhausted + 1
    return wrk.format(nil, "/api/v1/dossiers/NONE-000000-0000/actions", nil,
                      '{"action":"accept","expected_version":1}')
  end
  return wrk.format(nil, "/api/v1/dossiers/" .. d[1] .. "/actions", nil,
                    '{"action":"accept","expected_version":' .. d[2] .. '}')
end
response = function(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("act.lua: " .. status .. " " .. body:sub(1, 300) .. "\n") end
  end
end
function done(summary, latency, requests)
  local used, exhausted = 0, 0
  for _, t in ipairs(threads) do
    used = used + math.min(t:get("next_one") - 1, t:get("size"))
    exhausted = exhausted + t:get("exhausted")
  end
  io.write(string.format("act.lua: %d dossiers acted on, %d requests after the dossiers ran out\n",
                         used, exhausted))
end
