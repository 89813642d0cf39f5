package sample

// The vocabulary the drafts are made of. Every name is invented: a trade's
// name head ("Lò Gốm") followed by an evocative ending ("Men Lam"), not a
// person's or a real business's name. The tables are read, never written.

// text is a phrase in Vietnamese and its English counterpart.
type text struct{ vi, en string }

// archetype is one kind of member of the creative community: how its
// names are made, which sectors it works in and what it does.
type archetype struct {
	kind     string
	sector   string   // always among the draft's sectors
	extra    []string // may join it, up to three sectors in all
	weight   int      // relative share in synthetic data sets
	since    int      // earliest founding year (at least 1950)
	prefixes []text   // name heads, with the English head of name_en
	endings  []string // name endings typical of the trade, besides the common ones
	villages []string // wards (by name) where the trade is at home
	intros   []text   // what it does: a sentence without its full stop
	offers   []text   // one more sentence, with its full stop
}

var archetypes = []archetype{
	{
		kind: "artisan", sector: "crafts", extra: []string{"cultural-tourism", "design"}, weight: 7, since: 1950,
		prefixes: []text{{"Lò Gốm", "Kiln"}, {"Xưởng Gốm", "Pottery"}, {"Gốm", "Ceramics"}},
		endings:  []string{"Men Lam", "Men Rạn", "Men Ngọc", "Đất Nung", "Lửa Hồng", "Hoa Lam", "Sành Nâu", "Bình Vôi"},
		villages: []string{"Bát Tràng"},
		intros: []text{
			{"Lò gốm gia đình làm bình, chén và đĩa men lam, men rạn theo lối gốm Bát Tràng", "A family kiln making blue-and-white and crackle-glazed vases, cups and plates in the Bát Tràng tradition"},
			{"Xưởng gốm nhỏ làm đồ gốm dùng hằng ngày, tạo hình trên bàn xoay và nung lò ga", "A small workshop throwing everyday stoneware on the wheel and firing it in a gas kiln"},
			{"Nghệ nhân gốm phục dựng men cổ và làm gốm trang trí cho nhà hàng, khách sạn", "Potters reviving old glazes and making decorative ceramics for restaurants and hotels"},
		},
		offers: []text{
			{"Có lớp nặn gốm cho khách tham quan và học sinh vào cuối tuần.", "Weekend pottery classes for visitors and school groups."},
			{"Nhận làm quà tặng theo mẫu riêng cho doanh nghiệp.", "Custom gifts made to order for companies."},
			{"Khách có thể xem thợ vuốt gốm và vẽ men ngay tại xưởng.", "Visitors can watch the throwing and the glaze painting in the workshop."},
		},
	},
	{
		kind: "artisan", sector: "crafts", extra: []string{"design", "cultural-tourism"}, weight: 5, since: 1950,
		prefixes: []text{{"Xưởng Lụa", "Silk Workshop"}, {"Nhà Lụa", "Silk House"}, {"Khung Dệt", "Looms"}},
		endings:  []string{"Tơ Tằm", "Sợi Vàng", "Khung Cửi", "Lụa Mây", "Hoa Gấm", "Vân Sa", "Đũi Mộc"},
		villages: []string{"Hà Đông"},
		intros: []text{
			{"Dệt lụa tơ tằm trên khung cửi và nhuộm màu từ lá, vỏ cây theo nghề lụa Vạn Phúc", "Weaves mulberry silk on hand looms and dyes it with leaves and bark, in the Vạn Phúc silk tradition"},
			{"Xưởng dệt nhỏ làm khăn, vải may áo dài và vải đũi từ tơ tằm", "A small mill weaving scarves, áo dài fabric and raw silk"},
		},
		offers: []text{
			{"Khách có thể xem thợ dệt làm việc và thử dệt một đoạn vải.", "Visitors can watch the weavers and try weaving a strip of cloth."},
			{"Làm bộ sưu tập theo mùa cùng các nhà thiết kế trẻ.", "Makes seasonal collections with young designers."},
		},
	},
	{
		kind: "artisan", sector: "crafts", extra: []string{"visual-arts", "design"}, weight: 4, since: 1950,
		prefixes: []text{{"Xưởng Sơn Mài", "Lacquer Studio"}, {"Nhà Sơn Ta", "Lacquer House"}, {"Xưởng Khảm Trai", "Inlay Workshop"}},
		endings:  []string{"Son Thếp", "Vỏ Trứng", "Trai Ngọc", "Vàng Quỳ", "Sơn Then", "Ánh Bạc"},
		villages: []string{"Chuyên Mỹ"},
		intros: []text{
			{"Làm tranh và đồ dùng sơn mài bằng sơn ta, dát vàng bạc và cẩn vỏ trứng", "Makes lacquer paintings and objects with natural lacquer, gold and silver leaf and eggshell inlay"},
			{"Khảm trai theo lối làng nghề Chuyên Mỹ: hộp, tranh và đồ nội thất", "Mother-of-pearl inlay in the Chuyên Mỹ tradition: boxes, pictures and furniture"},
		},
		offers: []text{
			{"Nhận phục chế đồ sơn mài và đồ khảm cũ.", "Restores old lacquer and inlaid pieces."},
			{"Phòng trưng bày mở cửa các ngày trong tuần.", "The showroom is open on weekdays."},
		},
	},
	{
		kind: "artisan", sector: "crafts", extra: []string{"visual-arts", "cultural-tourism", "publishing"}, weight: 3, since: 1950,
		prefixes: []text{{"Xưởng Tranh", "Print Workshop"}, {"Nhà Tranh Giấy Dó", "Do Paper House"}, {"Xưởng Mộc Bản", "Woodblock Studio"}},
		endings:  []string{"Điệp Trắng", "Gà Trống", "Lợn Đàn", "Mực Tàu", "Bản Khắc", "Tờ Dó"},
		villages: []string{"Hoàn Kiếm"},
		intros: []text{
			{"In tranh dân gian Đông Hồ và Hàng Trống từ bản khắc gỗ trên giấy dó quét điệp", "Prints Đông Hồ and Hàng Trống folk pictures from woodblocks on dó paper coated with seashell powder"},
			{"Làm giấy dó thủ công và in tranh khắc gỗ nhiều màu", "Makes dó paper by hand and prints colour woodcuts"},
		},
		offers: []text{
			{"Có buổi trải nghiệm in tranh cho trẻ em dịp Tết.", "Print-making sessions for children around Tết."},
			{"Bán tranh in tay và sổ tay bìa giấy dó.", "Sells hand-pulled prints and notebooks bound in dó paper."},
		},
	},
	{
		kind: "artisan", sector: "crafts", extra: []string{"design"}, weight: 4, since: 1950,
		prefixes: []text{{"Xưởng Mây Tre", "Rattan Workshop"}, {"Nhà Tre", "Bamboo House"}, {"Mây Tre Đan", "Basketry"}},
		endings:  []string{"Nan Tre", "Sợi Mây", "Giỏ Cói", "Lục Bình", "Cói Vàng"},
		villages: []string{"Phú Nghĩa"},
		intros: []text{
			{"Đan mây tre theo nghề làng Phú Vinh: giỏ, chụp đèn và bàn ghế", "Rattan and bamboo weaving in the Phú Vinh tradition: baskets, lampshades and furniture"},
			{"Làm đồ gia dụng từ tre, cói và lục bình cho các cửa hàng thiết kế", "Makes homeware from bamboo, sedge and water hyacinth for design shops"},
		},
		offers: []text{
			{"Nhận đơn hàng xuất khẩu số lượng nhỏ.", "Takes small export orders."},
			{"Dạy đan mây tre cho người mới bắt đầu.", "Teaches basket weaving to beginners."},
		},
	},
	{
		kind: "artisan", sector: "crafts", extra: []string{"visual-arts", "cultural-tourism"}, weight: 3, since: 1950,
		prefixes: []text{{"Xưởng Mộc", "Woodwork"}, {"Xưởng Tượng Gỗ", "Woodcarving"}},
		endings:  []string{"Gỗ Mít", "Vân Gỗ", "Đục Chạm", "Con Nghê", "Sơn Son"},
		villages: []string{"Sơn Đồng"},
		intros: []text{
			{"Tạc tượng gỗ và làm đồ thờ sơn son thếp vàng theo lối làng Sơn Đồng", "Carves wooden statues and red-and-gold lacquered altar pieces in the Sơn Đồng tradition"},
			{"Chạm khắc gỗ, làm đồ chơi gỗ và đồ trang trí nhỏ", "Wood carving, wooden toys and small ornaments"},
		},
		offers: []text{
			{"Nhận phục chế tượng và đồ gỗ cho đình, chùa.", "Restores statues and woodwork for communal houses and pagodas."},
			{"Mở cửa cho khách xem nghệ nhân làm việc.", "Open to visitors who want to watch the carvers at work."},
		},
	},
	{
		kind: "artisan", sector: "crafts", extra: []string{"design", "visual-arts"}, weight: 3, since: 1950,
		prefixes: []text{{"Xưởng Thêu", "Embroidery"}, {"Nhà Thêu Tay", "Hand Embroidery"}},
		endings:  []string{"Kim Chỉ", "Chỉ Màu", "Hoa Thêu", "Sợi Tơ"},
		villages: []string{"Thường Tín"},
		intros: []text{
			{"Thêu tay tranh phong cảnh, chân dung và hoa văn trên áo dài", "Hand embroidery: landscapes, portraits and patterns on áo dài"},
			{"Thêu tay theo nghề thêu Quất Động, làm khăn, túi và tranh treo tường", "Hand embroidery in the Quất Động tradition: scarves, bags and wall hangings"},
		},
		offers: []text{
			{"Có lớp thêu cơ bản vào tối thứ Tư.", "A beginners' embroidery class on Wednesday evenings."},
			{"Nhận thêu theo mẫu của khách.", "Embroiders to the customer's design."},
		},
	},
	{
		kind: "designer", sector: "design", extra: []string{"visual-arts", "publishing"}, weight: 8, since: 1990,
		prefixes: []text{{"Studio", "Studio"}, {"Studio Thiết Kế", "Design Studio"}, {"Xưởng Đồ Hoạ", "Graphics"}},
		endings:  []string{"Nét Mực", "Con Chữ", "Ô Vuông", "Bảng Màu", "Giấy Kẻ"},
		intros: []text{
			{"Studio thiết kế nhận diện thương hiệu, bao bì và ấn phẩm cho doanh nghiệp nhỏ", "Brand identity, packaging and print design for small businesses"},
			{"Thiết kế chữ và đồ hoạ lấy cảm hứng từ biển hiệu cũ của phố cổ Hà Nội", "Type and graphic design inspired by the old shop signs of Hanoi's Old Quarter"},
			{"Nhóm thiết kế trẻ làm áp phích, bìa đĩa nhạc và đồ hoạ chuyển động", "A young team making posters, album covers and motion graphics"},
		},
		offers: []text{
			{"Thường cùng các làng nghề làm mới bao bì sản phẩm.", "Often works with craft villages to refresh their packaging."},
			{"Mỗi tháng có một buổi nói chuyện về thiết kế.", "Hosts a design talk every month."},
		},
	},
	{
		kind: "designer", sector: "visual-arts", extra: []string{"design", "publishing"}, weight: 5, since: 1990,
		prefixes: []text{{"Phòng Minh Hoạ", "Illustration"}, {"Nhóm Vẽ", "Drawing Collective"}},
		endings:  []string{"Bút Chì", "Màu Nước", "Nét Mực", "Tranh Truyện"},
		intros: []text{
			{"Minh hoạ sách thiếu nhi, áp phích và truyện tranh", "Illustration for children's books, posters and comics"},
			{"Vẽ minh hoạ phố phường Hà Nội bằng màu nước và bút mực", "Watercolour and ink drawings of Hanoi's streets"},
		},
		offers: []text{
			{"Nhận vẽ tranh tường cho quán cà phê và trường học.", "Paints murals for cafés and schools."},
			{"Bán tranh in và bưu thiếp tại các hội chợ sáng tạo.", "Sells prints and postcards at creative markets."},
		},
	},
	{
		kind: "designer", sector: "design", extra: []string{"crafts", "visual-arts"}, weight: 4, since: 1990,
		prefixes: []text{{"Văn Phòng Kiến Trúc", "Architects"}, {"Studio Nội Thất", "Interiors"}},
		endings:  []string{"Gạch Mộc", "Ô Thoáng", "Sân Trong", "Gác Mái"},
		intros: []text{
			{"Thiết kế nhà ở và quán cà phê cải tạo từ nhà cũ, dùng gạch, gỗ và tre địa phương", "Designs homes and cafés in converted old buildings, with local brick, timber and bamboo"},
			{"Thiết kế nội thất dùng đồ thủ công của các làng nghề quanh Hà Nội", "Interior design using crafts from the villages around Hanoi"},
		},
		offers: []text{
			{"Cho sinh viên kiến trúc thực tập mỗi mùa hè.", "Takes architecture students as summer interns."},
			{"Tham gia các dự án bảo tồn nhà phố cổ.", "Takes part in projects to conserve Old Quarter houses."},
		},
	},
	{
		kind: "designer", sector: "visual-arts", extra: []string{"film", "design"}, weight: 3, since: 1970,
		prefixes: []text{{"Studio Ảnh", "Photo Studio"}, {"Nhóm Nhiếp Ảnh", "Photography Collective"}},
		endings:  []string{"Phim Nhựa", "Buồng Tối", "Khung Hình", "Ánh Sáng"},
		intros: []text{
			{"Chụp ảnh sản phẩm cho làng nghề và thương hiệu thiết kế", "Product photography for craft villages and design brands"},
			{"Nhóm nhiếp ảnh phim có buồng tối tráng rửa cho thành viên", "A film photography group with a darkroom for its members"},
		},
		offers: []text{
			{"Mở lớp nhiếp ảnh cơ bản hằng tháng.", "Monthly beginners' photography courses."},
			{"Tổ chức triển lãm ảnh về đời sống đô thị.", "Holds photo exhibitions about city life."},
		},
	},
	{
		kind: "design-brand", sector: "design", extra: []string{"crafts"}, weight: 5, since: 1995,
		prefixes: []text{{"Thời Trang", "Fashion"}, {"Nhà Mốt", "Atelier"}, {"Áo Dài", "Ao Dai"}},
		endings:  []string{"Thổ Cẩm", "Chàm Xanh", "Khuy Vải", "Gấm Hoa", "Tà Áo"},
		intros: []text{
			{"Thương hiệu thời trang dùng lụa, đũi và thổ cẩm dệt tay", "A fashion label using hand-woven silk, raw silk and brocade"},
			{"Thời trang bền vững nhuộm chàm, may thủ công với số lượng nhỏ", "Slow fashion dyed with indigo and sewn by hand in small runs"},
			{"Thiết kế áo dài cách tân cho người trẻ", "Modern áo dài for young people"},
		},
		offers: []text{
			{"Cửa hàng và xưởng may nhỏ ở ngay cạnh nhau.", "Shop and small sewing room side by side."},
			{"Bán qua cửa hàng trực tuyến và tại các hội chợ thiết kế.", "Sells online and at design fairs."},
		},
	},
	{
		kind: "design-brand", sector: "design", extra: []string{"crafts"}, weight: 5, since: 1995,
		prefixes: []text{{"Gia Dụng", "Home"}, {"Đèn", "Lamps"}, {"Đồ Mộc", "Furniture"}},
		intros: []text{
			{"Đồ gia dụng thiết kế tại Hà Nội, làm cùng thợ gốm, thợ mây và thợ mộc ở các làng nghề", "Homeware designed in Hanoi and made with potters, basket weavers and carpenters from the craft villages"},
			{"Đèn và đồ trang trí bằng giấy dó, tre và vải lụa", "Lamps and decorations in dó paper, bamboo and silk"},
		},
		offers: []text{
			{"Showroom nhỏ mở cửa vào cuối tuần.", "A small showroom open at weekends."},
			{"Làm đồ theo thiết kế riêng cho khách sạn và nhà hàng.", "Makes bespoke pieces for hotels and restaurants."},
		},
	},
	{
		kind: "creative-space", sector: "design", extra: []string{"visual-arts", "performing-arts", "film"}, weight: 5, since: 2005,
		prefixes: []text{{"Không Gian Sáng Tạo", "Creative Space"}, {"Trạm Sáng Tạo", "Creative Hub"}, {"Xưởng Chung", "Makerspace"}},
		intros: []text{
			{"Không gian làm việc chung cho người làm sáng tạo, có xưởng in lụa, phòng chụp ảnh và sân khấu nhỏ", "Shared workspace for creative people, with a screen-printing room, a photo studio and a small stage"},
			{"Không gian sáng tạo trong một nhà máy cũ được cải tạo, có phòng triển lãm và khu chợ phiên", "A creative space in a converted factory, with an exhibition room and a market hall"},
		},
		offers: []text{
			{"Có chợ phiên thủ công vào Chủ nhật đầu tháng.", "A craft market on the first Sunday of the month."},
			{"Cho thuê chỗ làm việc theo ngày và theo tháng.", "Desks to rent by the day or the month."},
		},
	},
	{
		kind: "creative-space", sector: "visual-arts", extra: []string{"cultural-tourism", "design"}, weight: 5, since: 1985,
		prefixes: []text{{"Phòng Tranh", "Gallery"}, {"Nhà Triển Lãm", "Exhibition House"}, {"Gallery", "Gallery"}},
		endings:  []string{"Sơn Dầu", "Khung Tranh", "Bức Tường", "Toan Trắng"},
		intros: []text{
			{"Phòng tranh trưng bày hội hoạ và điêu khắc đương đại của nghệ sĩ trẻ", "Shows contemporary painting and sculpture by young artists"},
			{"Không gian triển lãm nhỏ trong một ngôi nhà phố cũ, chuyên tranh sơn mài và tranh lụa", "A small exhibition space in an old town house, showing lacquer and silk paintings"},
		},
		offers: []text{
			{"Mỗi tháng một triển lãm mới, vào cửa tự do.", "A new exhibition every month; free entry."},
			{"Có buổi nói chuyện với nghệ sĩ vào tối thứ Sáu.", "Artist talks on Friday evenings."},
		},
	},
	{
		kind: "creative-space", sector: "publishing", extra: []string{"performing-arts", "visual-arts"}, weight: 3, since: 2000,
		prefixes: []text{{"Cà Phê Sách", "Book Café"}, {"Thư Viện Cộng Đồng", "Community Library"}},
		intros: []text{
			{"Quán cà phê sách có góc đọc cho trẻ em và sân khấu nhỏ cho đêm thơ, nhạc mộc", "A book café with a children's reading corner and a small stage for poetry and acoustic nights"},
			{"Thư viện cộng đồng do tình nguyện viên vận hành, có sách tranh và giờ kể chuyện", "A volunteer-run community library with picture books and storytelling hours"},
		},
		offers: []text{
			{"Đêm thơ và nhạc mộc vào tối thứ Bảy.", "Poetry and acoustic music on Saturday evenings."},
			{"Nhận sách quyên góp cho các thư viện vùng cao.", "Collects donated books for libraries in the mountains."},
		},
	},
	{
		kind: "organization", sector: "performing-arts", extra: []string{"cultural-tourism"}, weight: 3, since: 1950,
		prefixes: []text{{"Nhà Hát Nhỏ", "Little Theatre"}, {"Đoàn Chèo", "Cheo Troupe"}, {"Gánh Rối", "Puppet Troupe"}, {"Nhóm Kịch", "Theatre Group"}},
		intros: []text{
			{"Biểu diễn chèo và múa rối nước, dựng lại các tích trò cổ cho khán giả trẻ", "Chèo and water puppetry, restaging old plays for young audiences"},
			{"Nhóm kịch độc lập dàn dựng kịch đương đại và kịch tương tác", "An independent company staging contemporary and interactive theatre"},
		},
		offers: []text{
			{"Diễn vào tối thứ Sáu và Chủ nhật.", "Performances on Friday and Sunday evenings."},
			{"Mở lớp diễn xuất cho thiếu nhi trong dịp hè.", "Summer acting classes for children."},
		},
	},
	{
		kind: "organization", sector: "performing-arts", extra: []string{"cultural-tourism", "film"}, weight: 3, since: 1960,
		prefixes: []text{{"Câu Lạc Bộ Ca Trù", "Ca Tru Club"}, {"Nhóm Nhạc Dân Tộc", "Folk Ensemble"}, {"Nhóm Múa Đương Đại", "Dance Collective"}},
		intros: []text{
			{"Câu lạc bộ gìn giữ và truyền dạy ca trù, hát xẩm cho người trẻ", "A club keeping ca trù and xẩm singing alive and teaching them to young people"},
			{"Nhóm nhạc chơi đàn bầu, đàn nguyệt và sáo trúc, phối lại dân ca", "An ensemble of monochord, moon lute and bamboo flute, rearranging folk songs"},
			{"Nhóm múa đương đại kết hợp múa dân gian với âm nhạc điện tử", "A contemporary dance group mixing folk dance and electronic music"},
		},
		offers: []text{
			{"Biểu diễn định kỳ tại đình làng và phố đi bộ.", "Regular performances in communal houses and on the walking streets."},
			{"Nhận học viên mới vào đầu mỗi quý.", "Takes new students at the start of each quarter."},
		},
	},
	{
		kind: "organization", sector: "crafts", extra: []string{"design", "cultural-tourism", "visual-arts"}, weight: 3, since: 1980,
		prefixes: []text{{"Hội Nghệ Nhân", "Artisans' Association"}, {"Mạng Lưới Sáng Tạo", "Creative Network"}, {"Quỹ Văn Hoá", "Culture Fund"}},
		intros: []text{
			{"Kết nối nghệ nhân các làng nghề với nhà thiết kế và thị trường", "Connects village artisans with designers and markets"},
			{"Hỗ trợ các dự án nghệ thuật cộng đồng và người làm sáng tạo trẻ", "Supports community art projects and young creative people"},
		},
		offers: []text{
			{"Tổ chức hội chợ thủ công hằng năm.", "Holds a yearly craft fair."},
			{"Trao học bổng cho nghệ nhân trẻ.", "Awards grants to young artisans."},
		},
	},
	{
		kind: "business", sector: "film", extra: []string{"performing-arts", "software-games"}, weight: 4, since: 1960,
		prefixes: []text{{"Hãng Phim", "Films"}, {"Xưởng Phim", "Film Studio"}, {"Studio Hoạt Hình", "Animation"}},
		intros: []text{
			{"Sản xuất phim tài liệu và phim ngắn về đời sống đô thị Hà Nội", "Documentaries and short films about city life in Hanoi"},
			{"Xưởng hoạt hình vẽ tay và hoạt hình ba chiều cho thiếu nhi", "Hand-drawn and 3D animation for children"},
			{"Quay phim quảng cáo và làm hậu kỳ cho các thương hiệu Việt", "Commercials and post-production for Vietnamese brands"},
		},
		offers: []text{
			{"Tổ chức chiếu phim ngoài trời vào mùa hè.", "Outdoor screenings in summer."},
			{"Nhận sinh viên điện ảnh thực tập mỗi năm.", "Takes film students as interns every year."},
		},
	},
	{
		kind: "business", sector: "publishing", extra: []string{"design", "visual-arts"}, weight: 4, since: 1955,
		prefixes: []text{{"Nhà Sách", "Books"}, {"Xưởng Sách", "Press"}, {"Tạp Chí", "Magazine"}},
		intros: []text{
			{"Làm sách tranh thiếu nhi và sách mỹ thuật song ngữ Việt – Anh", "Picture books for children and bilingual Vietnamese–English art books"},
			{"Xưởng in risograph làm tạp chí độc lập về văn hoá đô thị", "A risograph press making independent magazines on urban culture"},
			{"Phát hành sách về lịch sử, kiến trúc và ẩm thực Hà Nội", "Publishes books on Hanoi's history, architecture and food"},
		},
		offers: []text{
			{"Có buổi ra mắt sách và ký tặng mỗi tháng.", "Book launches and signings every month."},
			{"Nhận bản thảo của tác giả trẻ.", "Reads manuscripts from new authors."},
		},
	},
	{
		kind: "business", sector: "software-games", extra: []string{"design", "film"}, weight: 4, since: 2005,
		prefixes: []text{{"Studio Trò Chơi", "Games"}, {"Xưởng Game", "Game Studio"}},
		endings:  []string{"Ô Ăn Quan", "Rồng Con", "Cờ Lau", "Pixel Xanh", "Bầu Cua"},
		intros: []text{
			{"Phát triển trò chơi điện tử lấy cảm hứng từ truyện cổ tích Việt Nam", "Video games inspired by Vietnamese folk tales"},
			{"Làm trò chơi di động và trò chơi giáo dục về lịch sử, văn hoá", "Mobile and educational games about history and culture"},
			{"Studio độc lập làm trò chơi thực tế ảo về di sản Hà Nội", "An independent studio making virtual-reality games about Hanoi's heritage"},
		},
		offers: []text{
			{"Tổ chức game jam hai ngày mỗi mùa.", "Runs a two-day game jam every season."},
			{"Tuyển lập trình viên và hoạ sĩ thực tập.", "Takes programmers and artists as interns."},
		},
	},
	{
		kind: "business", sector: "cultural-tourism", extra: []string{"crafts", "performing-arts"}, weight: 4, since: 1990,
		prefixes: []text{{"Lữ Hành", "Travel"}, {"Hành Trình Di Sản", "Heritage Trails"}, {"Tour Làng Nghề", "Craft Village Tours"}},
		villages: []string{"Hoàn Kiếm", "Hương Sơn", "Sơn Tây"},
		intros: []text{
			{"Tổ chức tour đi bộ phố cổ và tour buổi tối nghe ca trù", "Walking tours of the Old Quarter and evening ca trù tours"},
			{"Tour làng nghề trong ngày: gốm Bát Tràng, lụa Vạn Phúc, khảm trai Chuyên Mỹ", "Day trips to the craft villages: Bát Tràng pottery, Vạn Phúc silk, Chuyên Mỹ inlay"},
			{"Tour hành hương chùa Hương và thăm làng cổ Đường Lâm", "Pilgrimages to the Perfume Pagoda and trips to the old village of Đường Lâm"},
		},
		offers: []text{
			{"Hướng dẫn viên nói tiếng Anh, tiếng Pháp và tiếng Hàn.", "Guides speak English, French and Korean."},
			{"Nhận tour riêng cho trường học và doanh nghiệp.", "Private tours for schools and companies."},
		},
	},
	{
		kind: "business", sector: "design", extra: []string{"film", "publishing"}, weight: 4, since: 1995,
		prefixes: []text{{"Agency Sáng Tạo", "Creative Agency"}, {"Công Ty Quảng Cáo", "Advertising"}},
		intros: []text{
			{"Agency sáng tạo làm chiến dịch quảng cáo, nội dung số và sự kiện", "A creative agency for campaigns, digital content and events"},
			{"Thiết kế và dàn dựng gian hàng triển lãm, sự kiện văn hoá", "Designs and builds exhibition stands and cultural events"},
		},
		offers: []text{
			{"Làm việc nhiều với các lễ hội thiết kế và sáng tạo.", "Works a lot with design and creative festivals."},
			{"Có chương trình hỗ trợ miễn phí cho tổ chức phi lợi nhuận.", "Does pro-bono work for non-profits."},
		},
	},
	{
		kind: "business", sector: "crafts", extra: []string{"cultural-tourism", "design"}, weight: 3, since: 1990,
		prefixes: []text{{"Cửa Hàng Thủ Công", "Craft Shop"}, {"Chợ Quà", "Gift Market"}},
		intros: []text{
			{"Cửa hàng bán đồ thủ công của các làng nghề quanh Hà Nội, ghi rõ người làm", "A shop selling crafts from the villages around Hanoi, each with its maker named"},
			{"Bán quà lưu niệm làm tay: tò he, nón lá, quạt giấy và tranh dân gian", "Handmade souvenirs: tò he figurines, conical hats, paper fans and folk prints"},
		},
		offers: []text{
			{"Mở cửa từ sáng đến tối, cả ngày lễ.", "Open from morning to evening, holidays included."},
			{"Nhận gửi hàng ra nước ngoài.", "Ships abroad."},
		},
	},
	{
		kind: "training-institution", sector: "visual-arts", extra: []string{"design", "crafts"}, weight: 3, since: 1960,
		prefixes: []text{{"Trường Mỹ Thuật", "Art School"}, {"Lớp Vẽ", "Drawing School"}, {"Học Viện Thiết Kế", "Design Academy"}},
		intros: []text{
			{"Đào tạo hội hoạ, điêu khắc và thiết kế đồ hoạ cho người lớn và thiếu nhi", "Courses in painting, sculpture and graphic design for adults and children"},
			{"Luyện thi năng khiếu mỹ thuật và mở lớp ký hoạ ngoài trời", "Portfolio preparation for art school entrance exams and outdoor sketching classes"},
		},
		offers: []text{
			{"Khai giảng khoá mới vào tháng Chín và tháng Ba.", "New courses start in September and March."},
			{"Học viên triển lãm tác phẩm cuối mỗi khoá.", "Students exhibit their work at the end of each course."},
		},
	},
	{
		kind: "training-institution", sector: "software-games", extra: []string{"film", "design"}, weight: 2, since: 1998,
		prefixes: []text{{"Trung Tâm Đào Tạo Số", "Digital Academy"}, {"Học Viện Đa Phương Tiện", "Media Academy"}},
		intros: []text{
			{"Đào tạo lập trình trò chơi, dựng phim và hoạt hình ba chiều", "Courses in game programming, film editing and 3D animation"},
			{"Khoá học ngắn về thiết kế giao diện và đồ hoạ chuyển động", "Short courses in interface design and motion graphics"},
		},
		offers: []text{
			{"Có lớp buổi tối cho người đi làm.", "Evening classes for people in work."},
			{"Giới thiệu việc làm cho học viên tốt nghiệp.", "Helps graduates find work."},
		},
	},
	{
		kind: "training-institution", sector: "performing-arts", extra: []string{"film"}, weight: 2, since: 1960,
		prefixes: []text{{"Lớp Múa", "Dance School"}, {"Trung Tâm Âm Nhạc", "Music Centre"}, {"Lớp Diễn Xuất", "Acting School"}},
		intros: []text{
			{"Dạy múa ba lê, múa đương đại và múa dân gian cho thiếu nhi", "Ballet, contemporary and folk dance classes for children"},
			{"Dạy đàn dân tộc, piano và thanh nhạc", "Lessons in traditional instruments, piano and singing"},
			{"Lớp diễn xuất cho sân khấu và điện ảnh", "Acting classes for stage and screen"},
		},
		offers: []text{
			{"Học viên biểu diễn báo cáo vào cuối năm học.", "Students give an end-of-year performance."},
			{"Có học bổng cho học viên có hoàn cảnh khó khăn.", "Bursaries for students who need them."},
		},
	},
}

// endings complete the names of every trade: invented, evocative words.
var endings = []string{
	"An Nhiên", "Mộc Miên", "Hoa Sữa", "Gió Mới", "Nắng Sớm", "Cánh Diều", "Đèn Lồng", "Mây Trắng", "Trúc Xanh",
	"Sen Hồng", "Phù Sa", "Lá Dó", "Mái Ngói", "Gạch Đỏ", "Chuồn Chuồn", "Cỏ May", "Bồ Câu", "Sẻ Nâu", "Cốm Xanh",
	"Hoa Gạo", "Bằng Lăng", "Sấu Non", "Rêu Phong", "Ô Cửa", "Góc Phố", "Mưa Phùn", "Heo May", "Tò He", "Sao Mai",
	"Thuyền Giấy", "Cây Bàng", "Hạt Thóc", "Chim Lạc", "Ngõ Nhỏ", "Tổ Kén", "Đồng Dao", "Vườn Ươm", "Đom Đóm",
	"Chợ Phiên", "Nón Lá", "Bánh Đa", "Sương Sớm", "Khói Bếp", "Ấm Trà", "Giếng Làng", "Cầu Tre", "Sân Đình",
	"Hoa Ban", "Rơm Vàng", "Đá Ong", "Quạt Giấy", "Kèn Lá", "Trống Cơm", "Hồ Sen", "Cửa Sổ Xanh", "Mặt Trời Nhỏ",
	"Lồng Đèn Đỏ", "Bốn Mùa", "Ngày Mới", "Dòng Sông",
}

// phrases fill the descriptions of synthetic drafts: words of the trades,
// so that searches find something.
var phrases = []string{
	"gốm men lam", "gốm men rạn", "lụa tơ tằm", "khung cửi", "nhuộm màu tự nhiên", "sơn mài", "khảm trai",
	"cẩn vỏ trứng", "tranh dân gian", "giấy dó", "bản khắc gỗ", "mây tre đan", "tượng gỗ", "đồ thờ", "thêu tay",
	"nón lá", "đèn lồng", "thổ cẩm", "tò he", "múa rối nước", "hát chèo", "ca trù", "hát xẩm", "quan họ",
	"kịch đương đại", "múa đương đại", "nhạc thính phòng", "phim tài liệu", "phim ngắn", "hoạt hình", "kịch bản",
	"hậu kỳ", "trò chơi điện tử", "trò chơi dân gian", "thiết kế trò chơi", "thực tế ảo", "sách tranh thiếu nhi",
	"sách mỹ thuật", "tạp chí độc lập", "in lụa", "in risograph", "thiết kế đồ hoạ", "nhận diện thương hiệu",
	"bao bì", "kiểu chữ", "nội thất", "kiến trúc", "thời trang bền vững", "đồ gia dụng", "triển lãm",
	"phòng tranh", "nhiếp ảnh", "tranh sơn dầu", "tranh lụa", "điêu khắc", "nghệ thuật sắp đặt",
	"nghệ thuật đường phố", "hội thảo", "lớp học cuối tuần", "trải nghiệm cho trẻ em", "du lịch làng nghề",
	"tour đi bộ phố cổ", "di sản", "lễ hội", "chùa Hương", "phố cổ Hà Nội", "sông Hồng", "làng nghề truyền thống",
	"nghệ nhân lâu năm", "thế hệ trẻ", "cộng đồng sáng tạo", "khách quốc tế", "quà tặng", "thủ công mỹ nghệ",
	"văn hoá Việt", "không gian xanh", "nhà máy cũ cải tạo", "biểu diễn cuối tuần", "chiếu phim ngoài trời",
	"âm nhạc dân gian", "nghệ thuật cộng đồng", "chợ phiên thủ công", "đình làng", "áo dài", "đàn bầu",
}

// Addresses, contact details and links.
var (
	hamlets   = []string{"Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Chùa", "Giữa", "Đình", "Bãi", "Mới"}
	landlines = []string{"024 3", "024 6", "024 7"} // followed by "ddd dddd"
	mobiles   = []string{"0912", "0913", "0915", "0936", "0904", "0983", "0977", "0968", "0868", "0888", "0326", "0345", "0392", "0705", "0789", "0856"}
	mailboxes = []string{"lienhe", "info", "hello", "xinchao"}
)
