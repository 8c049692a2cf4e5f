/* Word lists and sentence patterns of the synthetic needs (see needs-text.h). */
#include "needs-text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the generator ---- */

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

bench_rng bench_rng_for(uint64_t seed, uint64_t k)
{
	return (bench_rng){ mix(mix(seed + 0x9e3779b97f4a7c15ull) ^ (k * 0xd1b54a32d192ed03ull)) };
}

uint64_t bench_rng_next(bench_rng *r)
{
	r->state += 0x9e3779b97f4a7c15ull;
	return mix(r->state);
}

uint32_t bench_rng_below(bench_rng *r, uint32_t n)
{
	return (uint32_t)(((bench_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

#define PICK(r, list) ((list)[bench_rng_below((r), (uint32_t)COUNT(list))])

size_t bench_utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* ---- word lists ---- */

/* Where a problem is.  Several places share words (东门, 西门), so a
 * query for one finds needs about others too, as it would in life. */
static const char *const places[] = {
	"小区东门", "小区西门", "小区南门", "小区北门", "菜市场", "地下车库", "地面停车场", "楼道里", "电梯间",
	"垃圾站", "小广场", "健身区", "儿童游乐场", "幼儿园门口", "小学门口", "公交站", "十字路口", "人行道上",
	"自行车棚", "快递柜旁边", "物业办公室门口", "社区服务站", "卫生服务站", "老年活动室", "便利店门口",
	"绿化带", "楼顶", "地下室", "消防通道", "围墙边", "河边步道", "胡同口", "公共厕所", "单元门口",
	"小区主干道", "篮球场", "早点铺门口", "配电房旁边", "二号院", "中心花园", "社区食堂", "锅炉房后面",
};

typedef struct issue {
	const char *category;
	const char *object;         /* what it is about: 路灯, 电梯 */
	const char *shorts[3];      /* title cores: 路灯不亮 */
	const char *details[3];     /* what is wrong, said after the place */
	const char *wishes[2];      /* what is asked for, after 希望 */
} issue;

static const issue issues[] = {
	{ "环境卫生", "垃圾桶", { "垃圾桶满溢", "垃圾清运不及时", "垃圾桶天天溢出来" },
	  { "的垃圾桶每天傍晚就满了，垃圾堆在外面", "的分类垃圾桶破损发臭，苍蝇很多", "的垃圾好几天没人清运" },
	  { "增加垃圾清运次数", "增设分类垃圾桶并定时清洗" } },
	{ "环境卫生", "小广告", { "小广告泛滥", "楼道小广告太多", "墙上贴满小广告" },
	  { "贴满了开锁、通下水道的小广告", "的小广告清理后几天又贴上", "墙面被小广告糊得看不清" },
	  { "组织集中清理小广告", "安装公告栏规范张贴" } },
	{ "环境卫生", "公厕", { "公厕卫生差", "公共厕所没人打扫", "公厕又脏又臭" },
	  { "的公厕地面湿滑，没有洗手液", "的厕所冬天水管冻住不能用", "的公厕气味很大，夏天尤其严重" },
	  { "改造公厕并安排专人保洁", "公厕增加无障碍设施" } },
	{ "环境卫生", "下水道", { "下水道堵塞", "下水道返味", "污水井冒水" },
	  { "的下水道经常堵塞，污水漫到路面", "的污水井一下雨就往外冒", "的排水口返臭味" },
	  { "彻底疏通下水管道", "改造排水管网" } },
	{ "环境卫生", "老鼠", { "老鼠出没频繁", "蟑螂老鼠多", "需要灭鼠消杀" },
	  { "晚上经常有老鼠窜来窜去", "的垃圾堆引来很多老鼠和蟑螂", "发现了好几个鼠洞" },
	  { "定期开展灭鼠消杀", "清理卫生死角" } },
	{ "环境卫生", "宠物粪便", { "遛狗不清理粪便", "宠物粪便随处可见", "狗屎没人管" },
	  { "到处是狗的粪便，一不小心就踩上", "遛狗的人不拴绳也不清理粪便", "的草地上全是宠物粪便" },
	  { "倡导文明养犬并设置宠物便袋箱", "加强文明养犬宣传" } },
	{ "道路交通", "红绿灯", { "路口缺少红绿灯", "需要增设信号灯", "过马路很危险" },
	  { "车流量很大，没有红绿灯", "的信号灯时间太短，老人走不过去", "经常有车辆抢行，险些撞到行人" },
	  { "增设红绿灯和斑马线", "延长行人绿灯时间" } },
	{ "道路交通", "人行道", { "人行道破损", "人行道地砖松动", "人行道坑坑洼洼" },
	  { "的地砖松动翘起，下雨天一踩一脚泥", "坑坑洼洼，老人容易摔倒", "的盲道被破坏了" },
	  { "修复破损的人行道", "重新铺设人行道地砖" } },
	{ "道路交通", "路灯", { "路灯不亮", "路灯坏了好久", "夜里太黑没有路灯" },
	  { "的路灯坏了好几盏", "的路灯晚上一直不亮", "一到晚上就黑漆漆的" },
	  { "尽快维修路灯", "增设路灯和照明设施" } },
	{ "道路交通", "井盖", { "井盖松动", "井盖缺失很危险", "井盖响声扰民" },
	  { "的井盖松动了，车一压就哐哐响", "有个井盖丢了，只用树枝围着", "的井盖下沉，自行车骑过去容易摔" },
	  { "更换加固井盖", "尽快补上缺失的井盖" } },
	{ "道路交通", "道路积水", { "道路积水严重", "一下雨就积水", "路面积水没法走" },
	  { "一下雨就积水，水深能没过脚踝", "的路面低洼，雨后积水好几天不退", "积水结冰，冬天很滑" },
	  { "改造排水设施", "抬高路面解决积水" } },
	{ "道路交通", "减速带", { "缺少减速带", "车速太快不安全", "需要安装减速带" },
	  { "车开得很快，孩子们在旁边玩很危险", "没有减速带，外卖电动车飞驰而过", "经常有车辆超速" },
	  { "安装减速带和警示牌", "限制车辆速度" } },
	{ "停车", "车位", { "停车位不足", "小区停车难", "晚上找不到车位" },
	  { "车位远远不够，车辆停满了消防通道", "晚上回来绕好几圈也找不到车位", "乱停车堵住了出口" },
	  { "挖潜增设停车位", "规划建设立体停车设施" } },
	{ "停车", "充电桩", { "电动车充电难", "需要增设充电桩", "电瓶车没地方充电" },
	  { "没有充电桩，很多人从楼上拉电线飞线充电", "的充电桩总是坏的", "充电桩数量太少，晚上排队" },
	  { "增设电动自行车充电桩", "建设集中充电棚" } },
	{ "停车", "共享单车", { "共享单车乱停", "单车堵住门口", "共享单车堆成山" },
	  { "共享单车堆成一片，轮椅和婴儿车都推不过去", "的单车东倒西歪挡住了路", "的共享单车越堆越多" },
	  { "划定共享单车停放区域", "协调企业及时清运单车" } },
	{ "停车", "僵尸车", { "僵尸车长期占位", "废弃车辆没人管", "清理僵尸车" },
	  { "停着好几辆落满灰的僵尸车，一停就是几年", "的废弃车辆占了车位还成了垃圾堆", "有辆车轮胎都瘪了一直没人开走" },
	  { "清理长期占位的僵尸车", "建立废弃车辆处置机制" } },
	{ "养老助老", "电梯", { "老楼加装电梯", "希望加装电梯", "六层老楼爬楼难" },
	  { "没有电梯，七八十岁的老人上下楼非常吃力", "住的老人多，很多人一年都下不了几次楼", "爬六层楼对老人来说太难了" },
	  { "老旧小区加装电梯", "协调加装电梯的费用分摊" } },
	{ "养老助老", "老年餐桌", { "社区老年餐桌", "老人吃饭难", "希望开办老年食堂" },
	  { "附近没有老年餐桌，独居老人做饭不方便", "的助餐点饭菜太贵，老人吃不起", "的老人只能天天吃剩饭" },
	  { "开办社区老年餐桌", "提供送餐上门服务" } },
	{ "养老助老", "扶手", { "楼道加装扶手", "楼梯扶手损坏", "老人上楼需要扶手" },
	  { "的楼梯扶手年久失修松动了", "没有扶手，老人只能扶着墙走", "的扶手断了一截" },
	  { "加装或更换楼梯扶手", "进行适老化改造" } },
	{ "养老助老", "助浴", { "失能老人洗澡难", "需要助浴服务", "老人洗澡没人帮" },
	  { "住着不少失能老人，洗澡成了大难题", "的老人子女不在身边，洗澡没人帮忙", "有老人洗澡时滑倒过" },
	  { "提供上门助浴服务", "建设社区助浴点" } },
	{ "托幼教育", "托育", { "缺少普惠托育点", "孩子没人带", "希望增设托育园" },
	  { "附近的托育机构太贵，双职工家庭两三岁的孩子没人带", "没有托育点，老人带孩子很辛苦", "的托育园名额太少" },
	  { "建设社区普惠托育点", "增加托育名额" } },
	{ "托幼教育", "四点半课堂", { "放学后孩子无人看管", "开设四点半课堂", "课后托管难" },
	  { "小学三点半放学，家长还在上班", "放学后孩子们在街上乱跑", "的孩子放学后没有地方写作业" },
	  { "开设社区四点半课堂", "组织志愿者辅导作业" } },
	{ "托幼教育", "接送", { "学校门口接送拥堵", "上下学交通混乱", "接孩子堵车严重" },
	  { "每天上下学时间堵得水泄不通", "接送孩子的车辆乱停乱放", "放学时人车混行很危险" },
	  { "设置临时接送区", "安排志愿者疏导交通" } },
	{ "医疗健康", "卫生站", { "看病排队太长", "社区医生太少", "卫生站挂号难" },
	  { "只有两位医生，每天早上排长队", "的卫生站周末不开门", "开药要排一上午的队" },
	  { "增加社区医生和开诊时间", "开通预约挂号" } },
	{ "医疗健康", "除颤仪", { "需要配备AED", "安装除颤仪", "社区缺急救设备" },
	  { "前段时间有老人晕倒，大家都不会急救", "人流量大，却没有急救设备", "离医院远，急救车要很久才到" },
	  { "配备AED并开展急救培训", "组织居民学习心肺复苏" } },
	{ "医疗健康", "药店", { "附近没有药店", "买药不方便", "希望开设便民药房" },
	  { "附近唯一的药店关门了，老人买药要坐公交", "的药店晚上很早就关门", "买常用药都要跑很远" },
	  { "引进便民药店", "提供送药上门服务" } },
	{ "文体活动", "广场舞", { "广场舞噪音扰民", "广场舞音响太吵", "晚上跳舞声音太大" },
	  { "每天晚上音响开得很大，一直到九点多", "的广场舞音乐震耳欲聋", "早上六点就开始放音乐" },
	  { "规定广场舞的时间和音量", "协调更合适的活动场地" } },
	{ "文体活动", "健身器材", { "健身器材损坏", "健身器材老化", "更新健身设施" },
	  { "的健身器材生锈断裂，已经有人受伤", "的健身器材螺丝松了，一用就晃", "健身器材坏了一半" },
	  { "更换新的健身器材", "定期检修健身设施" } },
	{ "文体活动", "游乐场", { "缺少儿童游乐场地", "孩子没地方玩", "建设儿童游乐区" },
	  { "没有儿童游乐设施，孩子们只能在停车场玩", "的滑梯坏了，孩子们玩得很危险", "的沙坑里全是垃圾" },
	  { "建设儿童游乐区", "更新儿童游乐设施" } },
	{ "文体活动", "活动室", { "活动室太小", "缺少居民活动空间", "活动室经常锁门" },
	  { "的活动室太小，下棋打牌都挤不下", "的活动室总是锁着门", "没有可以开展活动的地方" },
	  { "扩大居民活动室", "延长活动室开放时间" } },
	{ "治安安全", "楼道杂物", { "楼道堆物消防隐患", "楼道杂物堵塞通道", "清理楼道堆物" },
	  { "堆满了旧家具和纸箱，一旦着火逃生通道会被堵死", "的杂物越堆越多，还有人放煤气罐", "被自行车和杂物挤得只剩一条缝" },
	  { "组织集中清理楼道堆物", "加强消防安全检查" } },
	{ "治安安全", "门禁", { "门禁失灵", "单元门禁坏了", "外人随便进出" },
	  { "的门禁坏了很久，陌生人随便进出", "的门禁刷卡没反应", "的单元门总是关不上" },
	  { "尽快维修门禁系统", "更换人脸识别门禁" } },
	{ "治安安全", "监控", { "监控探头不足", "需要加装监控", "监控有死角" },
	  { "有好几处监控死角，电动车被偷了也查不到", "的监控摄像头早就坏了", "晚上经常有人撬车" },
	  { "加装监控探头", "维修损坏的监控" } },
	{ "治安安全", "电动车进楼", { "电动车进楼充电", "电瓶车停在楼道", "楼道里给电动车充电" },
	  { "有人把电动车推进楼里充电，插座冒过火花", "的电瓶车天天停在楼梯口", "晚上有人在楼道里给电瓶车充电" },
	  { "禁止电动车进楼充电", "开展电动车安全宣传" } },
	{ "物业管理", "物业", { "物业服务不到位", "物业维修拖延", "物业电话打不通" },
	  { "报修漏水一个星期都没人来", "的物业电话经常打不通", "物业收了费却不干活" },
	  { "改进物业服务并公开收支", "召开业主大会评议物业" } },
	{ "物业管理", "电梯故障", { "电梯经常故障", "电梯频繁停运", "电梯老化关人" },
	  { "的电梯这个月已经坏了三次，还关过人", "的电梯运行时咣当乱响", "的电梯一停就是好几天" },
	  { "彻底检修电梯", "更换老旧电梯" } },
	{ "物业管理", "漏水", { "屋顶漏水", "顶层房屋渗水", "外墙渗水发霉" },
	  { "每逢下雨就漏水，墙皮脱落发霉", "渗水把家具都泡坏了", "的防水层老化，雨水顺着墙往下流" },
	  { "做屋面防水", "维修外墙防水" } },
	{ "物业管理", "供暖", { "暖气不热", "供暖温度不达标", "暖气漏水" },
	  { "的暖气摸着是凉的，屋里只有十几度", "的暖气管道漏水", "供暖总是比别的小区晚" },
	  { "排查供暖管网", "按时足额供暖" } },
	{ "物业管理", "水压", { "自来水水压低", "高层用水困难", "停水不通知" },
	  { "的水压太低，高层家里洗澡都困难", "经常突然停水，也不提前通知", "的水龙头流出来的是黄水" },
	  { "加装二次供水设备", "停水前提前通知居民" } },
	{ "绿化", "树木", { "树木遮挡采光", "大树挡住阳光", "需要修剪树木" },
	  { "的大树长得太高，一二层常年见不到阳光", "的树枝伸进了窗户，还招虫子", "的树被风吹歪了，随时可能倒下" },
	  { "修剪过高的树木", "对危树进行加固" } },
	{ "绿化", "绿地", { "绿地被占种菜", "公共绿地被毁", "恢复小区绿化" },
	  { "有人把公共绿地圈起来种菜还施农家肥", "的草坪被踩秃了，一刮风就起土", "的绿地被改成了停车位" },
	  { "恢复公共绿地", "补种花草树木" } },
	{ "绿化", "飞絮", { "杨柳飞絮严重", "春天飞絮太多", "飞絮引发过敏" },
	  { "一到春天杨柳絮满天飞", "的飞絮堆在角落，一点就着", "的飞絮让过敏的孩子天天咳嗽" },
	  { "治理杨柳飞絮", "更换不飞絮的树种" } },
	{ "便民服务", "菜站", { "买菜不方便", "缺少便民菜店", "希望设立社区菜站" },
	  { "的菜市场拆了以后，老人买菜要走很远", "附近只有一家超市，菜价很贵", "买菜要坐两站公交" },
	  { "设立社区便民菜站", "引进平价蔬菜直营店" } },
	{ "便民服务", "便民点", { "缺少修鞋配钥匙", "便民维修点太少", "修补衣服没地方" },
	  { "以前的修鞋、配钥匙、缝补摊位都没了", "想修个雨伞都找不到地方", "的便民服务点搬走了" },
	  { "设立便民服务点", "引进家电维修服务" } },
	{ "便民服务", "快递", { "快递无处存放", "快递柜不够用", "快递堆在门口" },
	  { "的快递柜总是满的，快递只能放地上", "快递堆了一地，经常丢件", "没有快递驿站" },
	  { "增设快递柜", "规范快递驿站管理" } },
	{ "便民服务", "公交", { "公交站太远", "公交车班次少", "希望增开公交线路" },
	  { "离最近的公交站要走二十分钟", "的公交车半小时才来一趟", "没有直达医院的公交" },
	  { "增设公交站点", "加密公交班次" } },
	{ "其他", "邻里", { "希望开展邻里活动", "组织邻里互助", "增进邻里交流" },
	  { "住了十几年互相都不认识", "的邻居们很少来往", "独居老人多，平时没人说话" },
	  { "组织邻里节和互助活动", "成立楼门互助小组" } },
	{ "其他", "装修噪音", { "装修噪音扰民", "周末装修太吵", "装修不守时间" },
	  { "有家装修从早上七点就开始砸墙", "周末中午也在装修，吵得没法休息", "装修垃圾堆在楼道好几周" },
	  { "规范装修时间", "及时清运装修垃圾" } },
	{ "其他", "信息公开", { "社区事务不公开", "希望公开维修资金", "账目公开" },
	  { "的维修资金怎么用的大家都不知道", "的公告栏很久没有更新", "开会的结果没有告诉居民" },
	  { "定期公开社区事务和账目", "在公告栏公示维修资金使用情况" } },
};

static const char *const durations[] = {
	"", "，已经两个月了", "，快半年了", "，一年多了", "，好几个星期了", "，到现在也没人管", "，反映过很多次",
	"，从去年冬天就这样", "，最近越来越严重",
};

static const char *const impacts[] = {
	"老人出门很不方便。",   "孩子上下学很不安全。", "影响大家正常休息。",   "存在很大的安全隐患。",
	"居民的意见很大。",     "下雨天情况更严重。",   "外卖和快递员也经常抱怨。", "坐轮椅的邻居根本过不去。",
	"晚上回家心里发慌。",   "好几位老人因此摔倒过。", "夏天气味特别难闻。",   "周边几栋楼的居民都深受其扰。",
	"年轻人还好，老人和孩子真的受不了。", "来访的亲戚朋友都说不方便。",
};

static const char *const tried[] = {
	"向物业反映过好几次，一直没有解决。", "打过12345热线，说是会处理，但没有下文。", "在业主群里说过，大家都有同感。",
	"找过居委会，说要等上级批复。",       "楼长也向社区反映过。",                   "我们自己凑钱修过一次，没多久又坏了。",
};

static const char *const fillers[] = {
	"这个问题已经存在很久了。",           "周边好几栋楼的居民都有同样的感受。",   "特别是早晚高峰的时候更明显。",
	"我们也拍了照片，可以提供给社区。",   "希望社区能够协调相关部门现场查看。",   "邻居们都在群里讨论这件事。",
	"大家都愿意配合社区的工作。",         "如果需要签名，我们可以组织邻居一起签。", "以前这里的环境还挺好的。",
	"现在小区里老人和孩子越来越多。",     "听说隔壁小区已经解决了类似的问题。",   "这件事关系到每家每户。",
	"我们理解社区工作忙，但这件事确实急。", "如果资金有困难，居民也愿意出一部分。", "希望在今年的实事项目里考虑一下。",
	"上次开居民会的时候也有人提过。",     "社区网格员也知道这个情况。",           "天气冷了以后问题会更突出。",
	"我家里有一位八十多岁的老人。",       "孩子今年刚上小学，每天都要经过这里。", "我们这栋楼大部分是退休职工。",
	"疫情以后大家在家的时间多了，感受更深。", "物业说这不归他们管，让我们找社区。", "社区说要统计一下需求再决定。",
	"希望能先派人来看一看。",             "附近的商户也受到了影响。",             "我在这里住了二十多年。",
	"每次开车经过都提心吊胆。",           "周末的时候人特别多。",                 "我们也知道这件事不容易办。",
	"晚上七点到九点最严重。",             "有的邻居已经打算搬走了。",             "去年也提过，当时说列入计划。",
	"希望给个明确的答复和时间表。",       "我们愿意当志愿者帮忙。",               "这也是很多老人的心愿。",
	"大家都盼着能早点改善。",             "新搬来的住户也在问这件事。",
};

static const char *const openers[] = {
	"", "", "您好，", "各位领导好，", "反映一个问题：", "大家都很关心：", "作为老住户，", "我代表楼里的邻居反映：",
};

static const char *const closers[] = { "", "", "谢谢！", "希望尽快解决。", "盼复。", "请社区重视。", "辛苦了！" };

static const char *const title_tails[] = {
	"，请尽快处理", "，盼解决", "的问题", "，影响出行", "，存在安全隐患", "，居民反映强烈", "，希望重视",
};

/* Words that appear in no need, so some searches find nothing. */
static const char *const strangers[] = { "高铁", "火锅", "鲸鱼", "量子", "足球场", "滑雪", "咖啡馆", "博物馆" };

/* ---- building text ---- */

typedef struct sink {
	char *p;
	size_t cap, len;
} sink;

static void put(sink *s, const char *text)
{
	size_t n = strlen(text);
	if (s->len + n + 1 > s->cap)
		return;
	memcpy(s->p + s->len, text, n + 1);
	s->len += n;
}

static void putf(sink *s, const char *fmt, const char *a, int n)
{
	char tmp[256];
	snprintf(tmp, sizeof(tmp), fmt, a, n);
	put(s, tmp);
}

/* A title from one of several patterns, the first that fits 6..30 characters. */
static void make_title(bench_rng *r, const issue *is, const char *place, int building, char *out, size_t cap)
{
	const char *core = is->shorts[bench_rng_below(r, 3)];
	int first = (int)bench_rng_below(r, 8);
	for (int k = 0; k < 8; k++) {
		sink s = { out, cap, 0 };
		out[0] = 0;
		switch ((first + k) % 8) {
		case 0: put(&s, place); put(&s, core); break;
		case 1: put(&s, core); put(&s, PICK(r, title_tails)); break;
		case 2: putf(&s, "%s%d号楼", "", building); put(&s, core); break;
		case 3: put(&s, "关于"); put(&s, place); put(&s, core); put(&s, "的问题"); break;
		case 4: put(&s, "希望"); put(&s, is->wishes[bench_rng_below(r, 2)]); break;
		case 5: put(&s, core); break;
		case 6: put(&s, place); put(&s, is->details[bench_rng_below(r, 3)]); break;
		default: put(&s, place); put(&s, core); put(&s, PICK(r, title_tails)); break;
		}
		size_t chars = bench_utf8_chars(out);
		if (chars >= BENCH_TITLE_MIN && chars <= BENCH_TITLE_MAX)
			return;
	}
	snprintf(out, cap, "%s%s问题", place, is->object);   /* at least 6: every place has 2+ characters */
}

/* Body lengths as people write them: mostly short, a long tail. */
static size_t body_target(bench_rng *r)
{
	uint32_t u = bench_rng_below(r, 100);
	if (u < 35)
		return 20 + bench_rng_below(r, 50);
	if (u < 75)
		return 70 + bench_rng_below(r, 90);
	if (u < 95)
		return 160 + bench_rng_below(r, 140);
	return 300 + bench_rng_below(r, 100);
}

static void make_body(bench_rng *r, const issue *is, const char *place, int building, const char *community,
		      char *out, size_t cap)
{
	size_t target = body_target(r);
	char wish[160], close[64];
	snprintf(wish, sizeof(wish), "希望%s。", is->wishes[bench_rng_below(r, 2)]);
	snprintf(close, sizeof(close), "%s", PICK(r, closers));
	size_t ending = bench_utf8_chars(wish) + bench_utf8_chars(close);
	sink s = { out, cap, 0 };
	out[0] = 0;
	uint32_t opening = bench_rng_below(r, 10);
	if (opening < 2 && community && *community)
		putf(&s, "我是%s的居民，", community, 0);
	else if (opening < 4)
		putf(&s, "我住在%s%d号楼。", "", building);
	else
		put(&s, PICK(r, openers));
	put(&s, place);
	put(&s, is->details[bench_rng_below(r, 3)]);
	put(&s, PICK(r, durations));
	put(&s, "。");
	/* Sentences until the target, none twice, each kept only if the ending still fits. */
	uint64_t used_impacts = 0, used_fillers = 0;
	for (int k = 0; k < 60 && bench_utf8_chars(out) + ending < target; k++) {
		const char *next;
		if (k == 1 && bench_rng_below(r, 2)) {
			next = PICK(r, tried);
		} else if (k == 0 || !bench_rng_below(r, 3)) {
			uint32_t i = bench_rng_below(r, (uint32_t)COUNT(impacts));
			if (used_impacts & (1ull << i))
				continue;
			used_impacts |= 1ull << i;
			next = impacts[i];
		} else {
			uint32_t i = bench_rng_below(r, (uint32_t)COUNT(fillers));
			if (used_fillers & (1ull << i))
				continue;
			used_fillers |= 1ull << i;
			next = fillers[i];
		}
		if (bench_utf8_chars(out) + bench_utf8_chars(next) + ending > BENCH_BODY_MAX)
			break;
		put(&s, next);
	}
	put(&s, wish);
	put(&s, close);
}

void bench_need_text_make(uint64_t seed, uint64_t k, const char *community, bench_need_text *out)
{
	bench_rng r = bench_rng_for(seed, k);
	/* Some issues are on everyone's mind: the first third of the list twice as often. */
	uint32_t n = (uint32_t)COUNT(issues);
	uint32_t pick = bench_rng_below(&r, n + n / 3);
	out->issue = (int)(pick < n ? pick : pick - n);
	const issue *is = &issues[out->issue];
	const char *place = PICK(&r, places);
	out->building = 1 + (int)bench_rng_below(&r, 12);
	out->category = is->category;
	make_title(&r, is, place, out->building, out->title, sizeof(out->title));
	make_body(&r, is, place, out->building, community, out->body, sizeof(out->body));
}

/* ---- queries ---- */

/* Copies `chars` characters of `word` from character `from` into out. */
static void take_chars(const char *word, size_t from, size_t chars, char *out, size_t cap)
{
	const char *p = word;
	for (size_t i = 0; i < from && *p; i++)
		do
			p++;
		while (((unsigned char)*p & 0xC0) == 0x80);
	const char *q = p;
	for (size_t i = 0; i < chars && *q; i++)
		do
			q++;
		while (((unsigned char)*q & 0xC0) == 0x80);
	size_t n = (size_t)(q - p) < cap - 1 ? (size_t)(q - p) : cap - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

/* Whether every character of s is a CJK ideograph (3-byte UTF-8 from U+4E00). */
static bool all_han(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p += 3)
		if (p[0] < 0xE4 || p[0] > 0xE9 || !p[1] || !p[2])
			return false;
	return *s != 0;
}

/* A word of the lists with at least `min` characters, all Chinese. */
static const char *some_word(bench_rng *r, size_t min)
{
	for (;;) {
		const issue *is = &issues[bench_rng_below(r, (uint32_t)COUNT(issues))];
		const char *w;
		switch (bench_rng_below(r, 4)) {
		case 0: w = is->object; break;
		case 1: w = is->shorts[bench_rng_below(r, 3)]; break;
		case 2: w = PICK(r, places); break;
		default: w = is->wishes[bench_rng_below(r, 2)]; break;
		}
		if (bench_utf8_chars(w) >= min && all_han(w))
			return w;
	}
}

static void query_part(bench_rng *r, size_t chars, char *out, size_t cap)
{
	if (bench_rng_below(r, 25) == 0) {
		take_chars(PICK(r, strangers), 0, chars, out, cap);
		return;
	}
	const char *w = some_word(r, chars);
	size_t len = bench_utf8_chars(w);
	take_chars(w, bench_rng_below(r, (uint32_t)(len - chars + 1)), chars, out, cap);
}

void bench_query_make(uint64_t seed, uint64_t k, char *out, size_t cap)
{
	bench_rng r = bench_rng_for(seed ^ 0x5155455259ull, k);
	if (bench_rng_below(&r, 100) < 15) {   /* a phrase: two parts */
		char a[64], b[64];
		query_part(&r, 1 + bench_rng_below(&r, 2), a, sizeof(a));
		query_part(&r, 2 + bench_rng_below(&r, 2), b, sizeof(b));
		snprintf(out, cap, "%s %s", a, b);
		return;
	}
	query_part(&r, 1 + bench_rng_below(&r, 4), out, cap);
}

void bench_typing_make(uint64_t seed, uint64_t k, char *out, size_t cap)
{
	bench_need_text t;
	bench_need_text_make(seed ^ 0x545950494e47ull, k, "", &t);
	bench_rng r = bench_rng_for(seed ^ 0x545950ull, k);
	char part[BENCH_BODY_MAX * 4 + 1];
	take_chars(t.body, 0, bench_rng_below(&r, 61), part, sizeof(part));
	snprintf(out, cap, "%s\n%s", t.title, part);
}
