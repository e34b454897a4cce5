// The generator's word lists. The data are constexpr arrays in name_tables.cc and
// place_tables.cc; these accessors are the only way in.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace cordon::sim::internal {

using Words = std::span<const std::string_view>;

// Surnames: the ~100 most common plus a few compound ones, and their cumulative frequencies
// (parts per 100,000 of the population) for PickCumulative.
Words Surnames();
std::span<const std::uint32_t> SurnameCumulativeWeights();

// Given-name characters: typical of men, typical of women, and used for either.
Words MaleGivenChars();
Words FemaleGivenChars();
Words NeutralGivenChars();

// Place names are two syllables, a first and a second part.
Words CityFirstChars();
Words CitySecondChars();
Words DistrictFirstChars();
Words DistrictSecondChars();
Words StreetFirstChars();
Words StreetSecondChars();
Words CommunityFirstChars();
Words CommunitySecondChars();
Words RoadStems();        // "体育", "中山"
Words RoadDirections();   // "东", "西", "" ...
Words RoadSuffixes();     // "路", "街", "大道"
Words ChineseNumerals();  // "一" .. "二十"

// Venue name parts.
Words RestaurantPrefixes();  // "老街口", "阿强"
Words RestaurantKinds();     // "川菜馆", "面馆"
Words MarketKinds();         // "农贸市场"
Words OfficeStems();         // "汇金", "环球"
Words OfficeKinds();         // "大厦", "科技园"
Words HotelBrands();         // chains: "<brand>酒店(<road>店)"
Words HotelStems();          // independents: "<stem>大酒店"
Words SupermarketBrands();
Words GymStems();
Words GymKinds();
Words CinemaStems();

}  // namespace cordon::sim::internal
