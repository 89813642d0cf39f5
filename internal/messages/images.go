package messages

// imageEntries are the messages of logos, photos and media files.
func imageEntries() []entry {
	return []entry{
		t("The request body is larger than allowed: 1 MiB for JSON, 10 MiB for imports, 5 MiB for images.",
			"Nội dung yêu cầu lớn hơn mức cho phép: 1 MiB với JSON, 10 MiB với lệnh nhập, 5 MiB với ảnh."),
		t("The body's Content-Type is not one this request accepts: images must be image/png, image/jpeg or image/webp.",
			"Content-Type của nội dung không phải loại mà yêu cầu này chấp nhận: ảnh phải là image/png, image/jpeg hoặc image/webp."),
		t("Images must be PNG, JPEG or WebP (Content-Type image/png, image/jpeg or image/webp), not %q.",
			"Ảnh phải là PNG, JPEG hoặc WebP (Content-Type image/png, image/jpeg hoặc image/webp), không phải %q."),
		t("The image is larger than 5 MiB: make it smaller and send it again.",
			"Ảnh lớn hơn 5 MiB: hãy giảm dung lượng rồi gửi lại."),
		t("The image is %d × %d pixels (%.1f megapixels); at most 40 megapixels are accepted: make it smaller.",
			"Ảnh có kích thước %d × %d điểm ảnh (%.1f megapixel); chỉ chấp nhận tối đa 40 megapixel: hãy thu nhỏ ảnh."),
		t("The file cannot be read as a %s image: it is damaged, or not of the type its Content-Type says.",
			"Không đọc được tệp như một ảnh %s: tệp bị hỏng, hoặc không đúng loại mà Content-Type ghi."),
		t("An entity has at most %d photos: remove one before adding another.",
			"Mỗi hồ sơ có tối đa %d ảnh: hãy xoá một ảnh trước khi thêm ảnh khác."),
		t("The entity has no photo %q.", "Hồ sơ không có ảnh %q."),
		t("There is no media file %q.", "Không có tệp ảnh %q."),
		t("There is no media file with hash %q.", "Không có tệp ảnh nào có mã băm %q."),
		t("%s is not a parameter of this request (only caption is).", "%s không phải là tham số của yêu cầu này (chỉ có caption)."),
		t("Give caption once.", "Chỉ gửi caption một lần."),
		t("The server is busy with other images: try again in a moment.", "Máy chủ đang bận xử lý các ảnh khác: hãy thử lại sau giây lát."),
	}
}
