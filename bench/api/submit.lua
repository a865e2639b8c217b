-- wrk script: POST a complete construction-permit submission, each with a fresh Idempotency-Key.
-- The attachment hashes are read from the environment (the bench script uploads them first).
local app = os.getenv("BENCH_SHA_APP")
local drawings = os.getenv("BENCH_SHA_DRAWINGS")
local counter = 0
-- Each wrk thread runs its own Lua state: seed each differently, or they all send the same keys
-- (and half the "submissions" are idempotent replays).
function init(args)
  math.randomseed(tonumber(tostring({}):match("0x(%x+)"), 16) + os.time())
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"procedure":"1.013225","channel":"online","form":{"investor-name":"Nguyen Van An",' ..
  '"personal-id":"046090001234","site-address":"12 Le Loi","parcel":"Thua 15, to 7",' ..
  '"floor-area":"180","storeys":"3","work-type":"nhà ở riêng lẻ"},"components":[' ..
  '{"component":"application","sha256":"' .. app .. '"},' ..
  '{"component":"design-drawings","sha256":"' .. drawings .. '"}]}'
request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = "bench-" .. tostring(math.random(1, 1e9)) .. "-" .. counter
  return wrk.format()
end
