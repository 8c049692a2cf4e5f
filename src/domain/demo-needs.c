/*
 * The demo's 问需: about 500 needs in every category and community, written
 * from themes so that near-duplicates occur as they do in life (neighbours
 * raising the same broken lift in their own words), supports from verified
 * residents, a few merges, declines, withdrawals and one hidden need, and a
 * dozen draft matters consolidated from clusters.
 *
 * Everything is written inside the demo's one write, through need_create_in
 * and draft_create_in for the rules, and directly for the decided fates.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/demo.h"
#include "domain/drafts.h"
#include "domain/inbox.h"
#include "domain/needs.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DAY 86400
#define DEMO_NEEDS 500

typedef struct theme {
	const char *category;
	const char *titles[3];      /* ways people put it */
	const char *body;           /* what they describe */
	const char *draft_title;    /* a draft matter answering it, or NULL */
	int64_t draft_cost;         /* yuan */
	const char *responsible;
} theme;

static const theme themes[] = {
	{ "环境卫生", { "垃圾分类桶满溢无人清运", "垃圾桶天天溢出来", "小区垃圾站清运不及时" },
	  "垃圾分类桶每天傍晚就满了，垃圾堆在桶外面，夏天气味很大还招苍蝇，希望增加清运次数。", "增加垃圾清运频次并扩建分类驿站", 180000, "街道城管科" },
	{ "环境卫生", { "楼道小广告太多", "单元门口小广告泛滥", "楼道墙面贴满小广告" },
	  "楼道和单元门口贴满了开锁、疏通管道的小广告，清理后几天又贴上，影响美观。", NULL, 0, NULL },
	{ "环境卫生", { "公厕卫生条件差", "公共厕所没人打扫", "胡同公厕又脏又臭" },
	  "胡同里的公共厕所地面湿滑，没有洗手液，冬天水管还冻住，老人使用很不方便。", "胡同公厕改造提升", 260000, "区环卫中心" },
	{ "道路交通", { "路口缺少红绿灯", "十字路口需要信号灯", "学校门口路口过马路危险" },
	  "学校旁边的十字路口车流量大，没有红绿灯，孩子上下学过马路非常危险。", "学校周边路口增设信号灯和护栏", 320000, "交通支队" },
	{ "道路交通", { "人行道破损坑洼", "人行道地砖松动", "人行道坑坑洼洼容易摔跤" },
	  "人行道地砖松动翘起，下雨天踩上去溅一身泥水，老人晚上走路容易摔倒。", "人行道破损地砖修复", 150000, "街道城建科" },
	{ "道路交通", { "路灯不亮", "小区路灯坏了好久", "夜里道路太黑路灯不亮" },
	  "小区主干道好几盏路灯坏了很久，晚上回家一片漆黑，存在安全隐患。", "更换维修小区路灯", 60000, "街道城建科" },
	{ "停车", { "停车位严重不足", "小区停车难", "晚上回来找不到车位" },
	  "小区车位远远不够，晚上车辆停满消防通道，救护车都进不来，希望规划更多车位。", "挖潜增设停车位并施划标线", 240000, "物业公司" },
	{ "停车", { "电动车充电桩不够", "需要增设电动自行车充电桩", "电瓶车没有地方充电" },
	  "电动自行车没有地方充电，很多人从楼上拉电线飞线充电，非常危险，希望增设充电桩。", "增设电动自行车集中充电棚", 90000, "街道安全科" },
	{ "停车", { "共享单车乱停乱放", "共享单车堵住小区门口", "单车堆满人行道" },
	  "共享单车堆在小区门口和人行道上，轮椅和婴儿车都推不过去，希望划定停放区域。", NULL, 0, NULL },
	{ "养老助老", { "老旧小区加装电梯", "希望老楼加装电梯", "六层老楼没有电梯爬楼困难" },
	  "我们是六层的老楼，没有电梯，楼里很多七八十岁的老人每天上下楼非常吃力，希望能加装电梯。", "老旧小区加装电梯试点", 1200000, "街道城建科" },
	{ "养老助老", { "社区老年餐桌", "希望开办老年食堂", "老人吃饭难需要助餐点" },
	  "很多独居老人做饭不方便，希望社区开办老年餐桌，提供便宜实惠的午餐和送餐服务。", "社区老年餐桌", 200000, "社区养老驿站" },
	{ "养老助老", { "楼道加装扶手", "老人上楼需要扶手", "楼梯扶手损坏" },
	  "楼梯扶手年久失修松动了，老人上下楼只能扶着墙走，希望加装或更换扶手。", NULL, 0, NULL },
	{ "托幼教育", { "缺少普惠托育点", "两岁孩子没有地方托管", "希望增设社区托育园" },
	  "双职工家庭两三岁的孩子没人带，附近的托育机构太贵，希望社区能有普惠托育点。", "社区普惠托育点", 350000, "街道民生保障科" },
	{ "托幼教育", { "放学后孩子无人看管", "开设课后托管班", "四点半课堂" },
	  "小学下午三点半放学，家长还在上班，希望社区开设四点半课堂提供作业辅导和看护。", "社区四点半课堂", 80000, "社区居委会" },
	{ "医疗健康", { "社区卫生站看病排队长", "卫生服务站医生太少", "社区医院挂号难" },
	  "社区卫生服务站只有两位医生，每天早上排长队，希望增加医生和开诊时间。", NULL, 0, NULL },
	{ "医疗健康", { "小区需要配备AED", "公共场所安装除颤仪", "希望社区有AED急救设备" },
	  "前段时间有老人在广场晕倒，大家都不会急救，希望在社区配备AED并开展急救培训。", "社区AED配置与急救培训", 120000, "社区卫生服务站" },
	{ "文体活动", { "广场舞噪音扰民", "晚上广场舞音响太吵", "广场舞音量过大" },
	  "每天晚上广场舞音响开得很大，一直到九点多，孩子没法写作业，老人没法休息。", NULL, 0, NULL },
	{ "文体活动", { "健身器材老化损坏", "小区健身器材坏了", "更新社区健身设施" },
	  "小区里的健身器材生锈断裂，已经有人受伤，希望尽快更换新的健身设施。", "更新社区健身器材", 100000, "街道文体中心" },
	{ "文体活动", { "缺少儿童游乐场地", "孩子没有地方玩耍", "希望建设儿童游乐区" },
	  "小区里没有儿童游乐设施，孩子们只能在停车场玩，很不安全，希望建一个小型游乐区。", NULL, 0, NULL },
	{ "治安安全", { "楼道堆放杂物消防隐患", "楼道杂物堵塞逃生通道", "清理楼道堆物" },
	  "楼道里堆满了旧家具和纸箱，一旦着火逃生通道会被堵死，希望组织集中清理。", "楼道堆物集中清理", 30000, "社区居委会" },
	{ "治安安全", { "小区门禁失灵", "单元门禁坏了外人随便进", "维修小区门禁系统" },
	  "单元门禁坏了很久，陌生人随便进出，最近还丢了快递和自行车，希望尽快修好。", "小区门禁系统维修更新", 110000, "物业公司" },
	{ "治安安全", { "监控探头不足", "小区需要加装监控", "监控有死角" },
	  "小区有好几处监控死角，电动车被偷了也查不到，希望加装监控探头。", NULL, 0, NULL },
	{ "物业管理", { "物业服务不到位", "物业不作为", "物业维修拖延" },
	  "报修水管漏水一个星期都没人来，物业电话经常打不通，希望改进物业服务。", NULL, 0, NULL },
	{ "物业管理", { "电梯经常故障", "电梯频繁停运", "电梯老化关人" },
	  "我们楼的电梯这个月已经坏了三次，还关过人，希望物业彻底检修，保障安全运行。", "电梯安全检修与维保监督", 160000, "物业公司" },
	{ "物业管理", { "屋顶漏水", "顶层房屋渗水", "楼顶防水层老化漏雨" },
	  "顶楼每逢下雨就漏水，墙皮脱落发霉，找了多次都没有修好，希望做屋面防水。", "老旧楼屋面防水修缮", 280000, "街道城建科" },
	{ "绿化", { "树木遮挡采光", "大树挡住低层阳光", "修剪小区树木" },
	  "楼前的大树长得太高，一二层常年见不到阳光，家里潮湿，希望修剪树枝。", NULL, 0, NULL },
	{ "绿化", { "绿地被毁种菜", "公共绿地被占用种菜", "恢复小区绿化" },
	  "有人把公共绿地圈起来种菜还施农家肥，气味很大，希望恢复绿化。", "公共绿地整治恢复", 70000, "街道园林科" },
	{ "便民服务", { "缺少便民菜店", "附近买菜不方便", "希望设立社区菜站" },
	  "附近的菜市场拆了以后，老人买菜要走很远，希望社区设立便民菜站。", "社区便民菜站", 90000, "街道商务科" },
	{ "便民服务", { "缺少修鞋配钥匙便民点", "便民修理服务点", "希望有修补衣服的地方" },
	  "以前的修鞋、配钥匙、缝补摊位都没了，生活很不方便，希望设立便民服务点。", NULL, 0, NULL },
	{ "其他", { "希望开展邻里节活动", "组织邻里互助活动", "增进邻里交流" },
	  "楼里住了十几年互相都不认识，希望社区组织邻里节和互助活动，增进感情。", NULL, 0, NULL },
	{ "其他", { "电动车进楼充电", "楼道里给电瓶车充电", "电动车停在楼梯间" },
	  "有人把电动车推进楼里，停在一楼楼梯间充电，插座冒过火花，大家都很担心。", NULL, 0, NULL },
};

static const char *const openers[] = { "", "您好，", "我是本小区居民，", "反映一个问题：", "大家都很关心：" };
static const char *const closers[] = { "", "谢谢！", "希望尽快解决。", "盼复。", "请社区重视。" };

static const char *const decline_reasons[] = {
	"该事项属于物业服务合同范围，已转交物业公司按合同处理，不列入实事项目。",
	"经现场核实，该处设施已于近期修复。",
	"该事项需由区级部门统筹，已向区相关部门反映。",
};

typedef struct demo_need {
	int64_t id;
	int theme, community;
	bool open;
} demo_need;

static gz_err raise(store_conn *c, demo_context *d, arena *a, demo_need *out, int t, int community, int64_t person)
{
	const theme *th = &themes[t];
	int64_t unit = demo_random(d) % 3 ? d->grid_ids[community][demo_random(d) % 3] : d->community_ids[community];
	int building = (int)(demo_random(d) % 12) + 1;
	const char *body = arena_printf(a, "%s我住在%d号楼。%s%s", openers[demo_random(d) % COUNT(openers)], building,
					th->body, closers[demo_random(d) % COUNT(closers)]);
	need_input in = { .title = th->titles[demo_random(d) % 3], .body = body, .category = th->category,
			  .unit_id = unit, .person_id = person, .channel = (need_channel)(demo_random(d) % 6 == 0
											  ? CHANNEL_POSTER : CHANNEL_WEB),
			  .show_name = demo_random(d) % 5 == 0 };
	if (demo_random(d) % 9 == 0 && person != d->resident_ids[0]) {
		/* A paper form or a call, recorded by staff for someone without an account. */
		in.person_id = 0;
		in.submitter_name = demo_name(d, a);
		in.channel = demo_random(d) % 2 ? CHANNEL_PAPER : CHANNEL_PHONE;
	}
	need_refusal why;
	gz_err rc = need_create_in(c, &actor_system, &in, &out->id, &why);
	if (rc)
		return rc;
	*out = (demo_need){ out->id, t, community, true };
	int64_t when = d->now - (int64_t)(demo_random(d) % (29 * DAY));
	return db_run(c, NULL, STMT_NEED_BACKDATE, ARGS(sv_int(d->street_id), sv_int(out->id), sv_int(when)), NULL);
}

/* Verified residents (not social units, not the test accounts) support open needs. */
static gz_err add_supports(store_conn *c, demo_context *d, demo_need *needs, size_t count, int64_t *supports)
{
	for (size_t i = 0; i < count; i++) {
		int n = (int)(demo_random(d) % 7);
		for (int k = 0; k < n; k++) {
			size_t who = 2 + demo_random(d) % 198;
			if (who % 10 == 1)
				continue;   /* not yet verified */
			gz_err rc = db_run(c, NULL, STMT_SUPPORT_INSERT,
					   ARGS(sv_int(d->street_id), sv_int(needs[i].id), sv_int(d->resident_ids[who]),
						sv_int(d->now - (int64_t)(demo_random(d) % (20 * DAY)))),
					   NULL);
			if (rc)
				return rc;
			*supports += db_changes(c);
		}
	}
	return GZ_OK;
}

static gz_err decide(store_conn *c, demo_context *d, demo_need *n, stmt_id id, const char *kind, int64_t other,
		     const char *reason)
{
	gz_err rc = id == STMT_NEED_SET_MERGED || id == STMT_NEED_SET_DECLINED
			    ? db_run(c, NULL, id, ARGS(sv_int(d->street_id), sv_int(n->id),
						       id == STMT_NEED_SET_MERGED ? sv_int(other) : sv_text(reason), sv_int(d->now)),
				     NULL)
			    : db_run(c, NULL, id, ARGS(sv_int(d->street_id), sv_int(n->id), sv_int(d->now)), NULL);
	n->open = false;
	return rc || !kind ? rc : inbox_notify_need_in(c, d->street_id, n->id, kind, other, reason);
}

/* A draft from the open needs of one theme in one community. */
static gz_err consolidate(store_conn *c, demo_context *d, arena *a, demo_need *needs, size_t count, int t,
			  int community, int *drafts)
{
	const theme *th = &themes[t];
	int64_t *ids = ARENA_ARRAY(a, int64_t, count);
	size_t n = 0;
	for (size_t i = 0; i < count && n < 8; i++)
		if (needs[i].open && needs[i].theme == t && needs[i].community == community)
			ids[n++] = needs[i].id;
	if (!n)
		return GZ_OK;
	draft_input in = { th->draft_title,
			   arena_printf(a, "根据居民反映的%zu条意见建议汇总：%s拟由%s牵头实施，费用为估算。", n, th->body,
					th->responsible),
			   th->category, th->responsible, d->community_ids[community], th->draft_cost, ids, n };
	int64_t id;
	const char *why;
	gz_err rc = draft_create_in(c, &actor_system, &in, &id, &why);
	if (rc)
		return rc;
	for (size_t i = 0; i < count; i++)
		for (size_t k = 0; k < n; k++)
			if (needs[i].id == ids[k])
				needs[i].open = false;
	(*drafts)++;
	return GZ_OK;
}

gz_err demo_build_needs(store_conn *c, demo_context *d, arena *a, const char *encoded)
{
	demo_need *needs = ARENA_ARRAY(a, demo_need, DEMO_NEEDS);
	size_t count = 0;
	gz_err rc = GZ_OK;
	/* resident1 has raised two needs of their own (first and third theme). */
	for (int k = 0; !rc && k < 2; k++, count++)
		rc = raise(c, d, a, &needs[count], k * 9, 0, d->resident_ids[0]);
	while (!rc && count < DEMO_NEEDS) {
		int t = (int)(demo_random(d) % COUNT(themes));
		size_t who = 2 + demo_random(d) % (d->resident_count - 2);
		rc = raise(c, d, a, &needs[count], t, (int)(demo_random(d) % DEMO_COMMUNITIES), d->resident_ids[who]);
		count++;
	}
	int64_t supports = 0;
	if (!rc)
		rc = add_supports(c, d, needs + 2, count - 2, &supports);
	/* A dozen drafts from the themes that have one, in turn over the communities. */
	int drafts = 0;
	for (size_t t = 0, k = 0; !rc && t < COUNT(themes) && drafts < 12; t++)
		if (themes[t].draft_title)
			rc = consolidate(c, d, a, needs, count, (int)t, (int)(k++ % DEMO_COMMUNITIES), &drafts);
	/* Merges: a later need of the same theme and community into the first open one. */
	int merged = 0, declined = 0, withdrawn = 0;
	for (size_t i = 2; !rc && i < count && merged < 25; i++)
		for (size_t j = i + 1; !rc && j < count && j < i + 120; j++)
			if (needs[i].open && needs[j].open && needs[i].theme == needs[j].theme &&
			    needs[i].community == needs[j].community && demo_random(d) % 3 == 0) {
				rc = decide(c, d, &needs[j], STMT_NEED_SET_MERGED, "merged", needs[i].id, "");
				merged++;
				break;
			}
	for (size_t i = count - 1; !rc && i > 2 && (declined < 15 || withdrawn < 6); i--) {
		if (!needs[i].open)
			continue;
		if (declined < 15 && i % 7 == 0)
			rc = decide(c, d, &needs[i], STMT_NEED_SET_DECLINED, "declined", 0,
				    decline_reasons[declined++ % COUNT(decline_reasons)]);
		else if (withdrawn < 6 && i % 11 == 0 && (withdrawn++, true))
			rc = decide(c, d, &needs[i], STMT_NEED_SET_WITHDRAWN, NULL, 0, NULL);
	}
	for (size_t i = 3; !rc && i < count; i++)
		if (needs[i].open) {
			const char *why = "内容含有他人电话号码等个人信息，已隐藏。";
			rc = db_run(c, NULL, STMT_NEED_SET_HIDDEN, ARGS(sv_int(d->street_id), sv_int(needs[i].id), sv_int(1),
								      sv_text(why)), NULL);
			if (!rc)
				rc = inbox_notify_need_in(c, d->street_id, needs[i].id, "hidden", 0, why);
			break;
		}
	if (rc)
		return rc;
	audit_entry e = { d->street_id, "demo.needs", "street", d->street_id,
			  arena_printf(a, "%zu needs, %" PRId64 " supports, %d drafts, %d merged, %d declined, %d withdrawn",
				       count, supports, drafts, merged, declined, withdrawn) };
	return audit_append(c, &actor_system, &e);
}
