-- Fixes the stem bleed of the peers' make-session.lua session inside real Ardour: the Plate return
-- is routed into the vocal stem bus and the Room return into the drum stem bus instead of the
-- master, then Ardour saves the session.
-- Usage: SESSION_DIR=... SESSION_NAME=... ardour7-lua returns-into-stems.lua
local dir = assert(os.getenv("SESSION_DIR"), "SESSION_DIR")
local name = assert(os.getenv("SESSION_NAME"), "SESSION_NAME")
AudioEngine:set_backend("None (Dummy)", "", "")
local s = load_session(dir, name)
assert(s, "could not load " .. dir .. "/" .. name)

local function route(n)
  local r = s:route_by_name(n)
  assert(not r:isnil(), "no route named " .. n)
  return r
end
local function route_output_to(src, dst)
  src:output():disconnect_all(nil)
  local n = src:output():n_ports():n_audio()
  for i = 0, n - 1 do
    local dport = dst:input():audio(i % dst:input():n_ports():n_audio())
    src:output():audio(i):connect(dport:name())
  end
end

route_output_to(route("Plate"), route("Vox Bus"))
route_output_to(route("Room"), route("Drum Bus"))
s:save_state("", false, false, false, false, false)
print("saved " .. dir .. "/" .. name .. ".ardour")
close_session()
