-- wrk script: durable need submissions through the JSON API, as community
-- staff typing in the paper forms of a poster campaign.
--
--   wrk -t2 -c64 -d10s -s bench/post-needs.lua http://127.0.0.1:PORT/api/v1/needs -- SESSION CSRF UNITS
--
-- SESSION is a staff member's gz_session cookie, CSRF the session's token
-- (from GET /api/v1/meta), UNITS a comma-separated list of unit ids the
-- staff member may record needs for.  Every request is a different need:
-- a place, an issue and a resident's name chosen from the request number and
-- the thread, so no two bodies are alike and nothing is cached.

local places = {
	"小区东门", "小区西门", "菜市场", "地下车库", "楼道里", "垃圾站", "小广场", "公交站", "十字路口",
	"幼儿园门口", "自行车棚", "快递柜旁边", "老年活动室", "河边步道", "单元门口", "消防通道",
}

local issues = {
	{ "路灯不亮", "道路交通", "的路灯坏了好几盏，一到晚上就黑漆漆的，老人出门很不方便。" },
	{ "垃圾清运不及时", "环境卫生", "的垃圾桶每天傍晚就满了，垃圾堆在外面，夏天气味很大。" },
	{ "停车位不足", "停车", "车位远远不够，晚上车辆停满了消防通道，救护车都进不来。" },
	{ "需要增设充电桩", "停车", "没有充电桩，很多人从楼上拉电线飞线充电，非常危险。" },
	{ "希望加装电梯", "养老助老", "住的老人多，七八十岁的老人上下楼非常吃力。" },
	{ "健身器材损坏", "文体活动", "的健身器材生锈断裂，已经有人受伤，希望尽快更换。" },
	{ "门禁失灵", "治安安全", "的门禁坏了很久，陌生人随便进出，最近还丢了快递。" },
	{ "道路积水严重", "道路交通", "一下雨就积水，水深能没过脚踝，雨后好几天不退。" },
}

local names = { "王秀英", "李建国", "张桂英", "刘伟", "陈淑珍", "杨明", "赵海燕", "黄国庆" }

local thread_count = 0

function setup(thread)
	thread:set("thread_number", thread_count)
	thread_count = thread_count + 1
end

function init(args)
	units = {}
	for u in string.gmatch(args[3] or "", "%d+") do
		units[#units + 1] = u
	end
	if #units == 0 then
		error("post-needs.lua: give SESSION CSRF UNITS after --")
	end
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	wrk.headers["Cookie"] = "gz_session=" .. args[1]
	wrk.headers["X-CSRF-Token"] = args[2]
	sent = 0
end

local function pick(list, k)
	return list[k % #list + 1]
end

function request()
	sent = sent + 1
	local k = sent * 2 + (thread_number or 0)
	local place = pick(places, k)
	local issue = pick(issues, math.floor(k / #places))
	local body = string.format(
		'{"title":"%s%s","body":"%s%s已经反映过几次了，希望社区协调解决。（纸质表第%d号）","category":"%s",' ..
		'"unit_id":%s,"channel":"paper","submitter_name":"%s"}',
		place, issue[1], place, issue[3], k, issue[2], pick(units, k), pick(names, math.floor(k / 7)))
	return wrk.format(nil, nil, nil, body)
end
