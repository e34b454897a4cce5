// Word lists for invented place and venue names. The combinations sound like Chinese place
// names without naming a real city on purpose.
#include <string_view>

#include "sim/internal/tables.h"

namespace cordon::sim::internal {
namespace {

constexpr std::string_view kCityFirst[] = {
    "江", "宁", "安", "临", "清", "平", "云", "海", "南", "北", "东", "西", "长", "永", "兴",
    "新", "德", "阳", "华", "嘉", "泰", "鹤", "龙", "凤", "金", "玉", "青", "丰", "滨", "湖",
};
constexpr std::string_view kCitySecond[] = {
    "州", "阳", "江", "宁", "安", "城", "山", "川", "林", "原", "海", "溪", "港", "都", "沙", "泉",
};

constexpr std::string_view kDistrictFirst[] = {
    "东", "西", "南", "北", "中", "新", "青", "金", "玉", "龙", "凤", "云", "天", "白", "翠",
    "碧", "锦", "文", "武", "长", "永", "安", "宁", "丰", "兴", "华", "松", "柳", "桃", "梅",
};
constexpr std::string_view kDistrictSecond[] = {
    "湖", "城", "山", "河", "塘", "江", "岭", "湾", "港", "溪",
    "浦", "园", "川", "峰", "林", "州", "坪", "洲", "源", "泉",
};

constexpr std::string_view kStreetFirst[] = {
    "龙", "新", "南", "北", "东", "西", "沙", "石", "黄", "白", "青", "桥", "江", "湖",
    "花", "凤", "鹤", "银", "金", "盐", "茶", "桂", "梅", "竹", "松", "云", "星", "光",
    "明", "华", "长", "大", "小", "上", "下", "前", "后", "高", "平", "丰",
};
constexpr std::string_view kStreetSecond[] = {
    "华", "港", "田", "头", "岗", "塘", "埔", "坑", "村", "桥", "门", "口", "岭",
    "湾", "洲", "园", "亭", "街", "庄", "林", "河", "坝", "溪", "渡", "墩",
};

constexpr std::string_view kCommunityFirst[] = {
    "翠", "花", "锦", "绿", "金", "银", "阳", "春", "和", "康", "福", "幸", "紫", "荷",
    "桂", "兰", "枫", "松", "柏", "竹", "梅", "丽", "景", "秀", "明", "星", "月", "晨",
    "嘉", "宏", "盛", "泰", "新", "祥", "瑞", "怡", "雅", "富", "德", "仁",
};
constexpr std::string_view kCommunitySecond[] = {
    "苑", "园", "庭", "湾", "城", "里", "景", "坊", "居", "府",
    "湖", "岸", "山", "林", "港", "轩", "都", "华", "邸", "村",
};

constexpr std::string_view kRoadStems[] = {
    "体育", "中山", "人民", "解放", "建设", "和平", "胜利", "文化", "新华",   "光明", "友谊",
    "东风", "黄河", "长江", "滨江", "环城", "工业", "科技", "学院", "花园",   "青年", "五一",
    "朝阳", "幸福", "迎宾", "府前", "天府", "育才", "公园", "沿江", "火车站", "机场", "翠湖",
    "金沙", "龙华", "凤凰", "白沙", "香山", "锦绣", "桂花", "海棠", "银杏",   "石榴", "民主",
    "团结", "复兴", "振兴", "繁荣", "富强", "康乐", "华侨", "北京", "南京",   "广州", "兴业",
    "百花", "梅园", "松林", "柳岸", "荷塘", "东湖", "西湖", "南湖", "北湖",   "星光",
};
constexpr std::string_view kRoadDirections[] = {"",   "",   "",   "东", "西",
                                                "南", "北", "中", "一", "二"};
constexpr std::string_view kRoadSuffixes[] = {"路", "路", "路", "街", "大道", "大街", "巷"};

constexpr std::string_view kChineseNumerals[] = {
    "一",   "二",   "三",   "四",   "五",   "六",   "七",   "八",   "九",   "十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
};

constexpr std::string_view kRestaurantPrefixes[] = {
    "老街口", "阿强", "小城", "老王", "好味", "聚福", "川味", "湘里",   "粤香",   "东北",
    "兰州",   "蜀香", "江南", "渔家", "金牌", "一品", "百味", "鲜满",   "老字号", "张记",
    "李记",   "陈记", "家常", "巷子", "老灶", "大碗", "阿婆", "外婆家", "福满楼", "知味",
};
constexpr std::string_view kRestaurantKinds[] = {
    "川菜馆",   "湘菜馆", "面馆", "饺子馆", "火锅",   "烧烤",   "茶餐厅",
    "酒家",     "小厨",   "粥铺", "牛肉面", "米粉店", "快餐",   "烤鸭店",
    "海鲜酒楼", "麻辣烫", "食府", "粤菜馆", "私房菜", "煲仔饭",
};
constexpr std::string_view kMarketKinds[] = {"农贸市场", "菜市场",   "综合市场",
                                             "海鲜市场", "批发市场", "生鲜市场"};
constexpr std::string_view kOfficeStems[] = {
    "汇金", "环球", "国际", "时代", "天元", "中信", "华润", "世纪", "金融", "创新",
    "财富", "华侨", "恒基", "远洋", "银泰", "中天", "星河", "未来", "海岸", "东方",
};
constexpr std::string_view kOfficeKinds[] = {"大厦",   "中心",   "广场",  "写字楼",
                                             "科技园", "产业园", "创业园"};
constexpr std::string_view kHotelBrands[] = {"如家",   "汉庭",     "锦江之星", "全季",
                                             "维也纳", "格林豪泰", "亚朵",     "城市便捷"};
constexpr std::string_view kHotelStems[] = {
    "金海湾", "明珠", "银河", "华天", "皇冠", "紫荆", "君悦", "海景", "东方", "迎宾",
};
constexpr std::string_view kSupermarketBrands[] = {
    "华润万家", "永辉超市", "沃尔玛", "大润发",   "家乐福",
    "物美",     "联华超市", "美宜佳", "天虹超市", "好又多",
};
constexpr std::string_view kGymStems[] = {"动力", "飞跃", "健将", "活力", "阳光",
                                          "悦动", "铁馆", "超能", "燃动", "力美"};
constexpr std::string_view kGymKinds[] = {"健身中心", "健身房", "游泳馆", "羽毛球馆", "瑜伽馆"};
constexpr std::string_view kCinemaStems[] = {"星光", "金逸", "大地", "银河", "新天地",
                                             "时代", "东方", "环球", "明珠", "中影"};

}  // namespace

Words CityFirstChars() { return kCityFirst; }
Words CitySecondChars() { return kCitySecond; }
Words DistrictFirstChars() { return kDistrictFirst; }
Words DistrictSecondChars() { return kDistrictSecond; }
Words StreetFirstChars() { return kStreetFirst; }
Words StreetSecondChars() { return kStreetSecond; }
Words CommunityFirstChars() { return kCommunityFirst; }
Words CommunitySecondChars() { return kCommunitySecond; }
Words RoadStems() { return kRoadStems; }
Words RoadDirections() { return kRoadDirections; }
Words RoadSuffixes() { return kRoadSuffixes; }
Words ChineseNumerals() { return kChineseNumerals; }
Words RestaurantPrefixes() { return kRestaurantPrefixes; }
Words RestaurantKinds() { return kRestaurantKinds; }
Words MarketKinds() { return kMarketKinds; }
Words OfficeStems() { return kOfficeStems; }
Words OfficeKinds() { return kOfficeKinds; }
Words HotelBrands() { return kHotelBrands; }
Words HotelStems() { return kHotelStems; }
Words SupermarketBrands() { return kSupermarketBrands; }
Words GymStems() { return kGymStems; }
Words GymKinds() { return kGymKinds; }
Words CinemaStems() { return kCinemaStems; }

}  // namespace cordon::sim::internal
