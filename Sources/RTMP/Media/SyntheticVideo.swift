/// A live video stream the fake server plays without a media file: real H.264 that any decoder
/// accepts, in the FLV video tags RTMP carries.
///
/// Why generated and not a sample file: the server must be able to play to ffmpeg and rtmpdump (they
/// decode what they get, and a test counts the decoded frames) with nothing but this package, and a
/// player's time to its first frame depends on the first keyframe's size and on when it is sent, which
/// a generator sets exactly. Every picture is an IDR picture made only of I_PCM macroblocks (ITU-T
/// H.264 7.3.5: the samples are carried as they are, no transform, no entropy coding of residuals),
/// which is the one H.264 picture a few lines can write correctly: a Constrained Baseline SPS and PPS,
/// a slice header, then 384 bytes per 16×16 macroblock. A keyframe is therefore
/// `384 × width × height` bytes and the bitrate follows from the size and the frame rate (the default
/// 64×48 at 10 frames per second: 4.6 KB keyframes, about 370 kbit/s, a mobile stream's order).
///
/// The tags follow the FLV specification (Adobe, version 10.1, E.4.3: `VIDEODATA` with the AVC packet
/// type): first an AVC sequence header (the `AVCDecoderConfigurationRecord` of ISO/IEC 14496-15
/// 5.2.4.1 with the SPS and PPS), then one NAL unit per tag with a 4-byte length prefix.
public struct SyntheticVideo: Sendable, Hashable {
    /// Picture size in macroblocks (16 pixels each).
    public var widthInMacroblocks: Int
    public var heightInMacroblocks: Int
    /// Pictures per second; every picture is a keyframe.
    public var framesPerSecond: Int

    public init(widthInMacroblocks: Int = 4, heightInMacroblocks: Int = 3, framesPerSecond: Int = 10) {
        precondition(
            (1...120).contains(widthInMacroblocks) && (1...68).contains(heightInMacroblocks)
                && (1...120).contains(framesPerSecond),
            "SyntheticVideo(\(widthInMacroblocks)×\(heightInMacroblocks) macroblocks, \(framesPerSecond) fps)")
        self.widthInMacroblocks = widthInMacroblocks
        self.heightInMacroblocks = heightInMacroblocks
        self.framesPerSecond = framesPerSecond
    }

    /// Width and height in pixels.
    public var width: Int { widthInMacroblocks * 16 }
    public var height: Int { heightInMacroblocks * 16 }

    /// The time between two pictures.
    public var frameInterval: Duration { .milliseconds(1000) / framesPerSecond }

    /// The FLV timestamp (milliseconds) of picture `index`.
    public func timestamp(ofFrame index: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: index * 1000 / framesPerSecond)
    }

    /// The `onMetaData` values a media server sends before the first tag, so that a player knows there
    /// is video only and does not wait for audio (ffmpeg's FLV demuxer reads `audiocodecid`'s absence).
    public var metadata: AMF0Object {
        [
            "width": .number(Double(width)), "height": .number(Double(height)),
            "framerate": .number(Double(framesPerSecond)), "videocodecid": .number(7),
        ]
    }

    /// The tag body of the AVC sequence header (frame type 1, codec 7, packet type 0).
    public var sequenceHeaderTag: [UInt8] {
        let sps = Self.nalUnit(type: 7, rbsp: sequenceParameterSet)
        let pps = Self.nalUnit(type: 8, rbsp: Self.pictureParameterSet)
        var tag: [UInt8] = [0x17, 0x00, 0x00, 0x00, 0x00]
        // configurationVersion, profile, compatibility and level as in the SPS, 4-byte NAL lengths,
        // one SPS, one PPS.
        tag += [0x01, sps[1], sps[2], sps[3], 0xFF, 0xE1]
        tag += [UInt8(sps.count >> 8), UInt8(sps.count & 0xFF)] + sps
        tag += [0x01, UInt8(pps.count >> 8), UInt8(pps.count & 0xFF)] + pps
        return tag
    }

    /// The tag body of picture `index` (a keyframe NAL unit, composition time 0).
    public func frameTag(_ index: Int) -> [UInt8] {
        let nal = Self.nalUnit(type: 5, rbsp: slice(index))
        let length = UInt32(nal.count)
        return [0x17, 0x01, 0x00, 0x00, 0x00,
                UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + nal
    }

    /// Constrained Baseline (profile 66 with constraint_set0 and 1), level 3.0, frame_num in 4 bits,
    /// picture order from decoding order (type 2: every picture is shown as decoded), one reference.
    private var sequenceParameterSet: [UInt8] {
        var writer = H264BitWriter()
        writer.bits(66, count: 8)  // profile_idc
        writer.bits(0b1100_0000, count: 8)  // constraint_set0_flag, constraint_set1_flag, reserved
        writer.bits(30, count: 8)  // level_idc
        writer.unsignedExpGolomb(0)  // seq_parameter_set_id
        writer.unsignedExpGolomb(0)  // log2_max_frame_num_minus4
        writer.unsignedExpGolomb(2)  // pic_order_cnt_type
        writer.unsignedExpGolomb(1)  // max_num_ref_frames
        writer.bit(false)  // gaps_in_frame_num_value_allowed_flag
        writer.unsignedExpGolomb(UInt32(widthInMacroblocks - 1))  // pic_width_in_mbs_minus1
        writer.unsignedExpGolomb(UInt32(heightInMacroblocks - 1))  // pic_height_in_map_units_minus1
        writer.bit(true)  // frame_mbs_only_flag
        writer.bit(true)  // direct_8x8_inference_flag
        writer.bit(false)  // frame_cropping_flag
        writer.bit(false)  // vui_parameters_present_flag
        return writer.finishRBSP()
    }

    /// CAVLC, one slice group, QP 26, the deblocking filter controllable from the slice header.
    private static let pictureParameterSet: [UInt8] = {
        var writer = H264BitWriter()
        writer.unsignedExpGolomb(0)  // pic_parameter_set_id
        writer.unsignedExpGolomb(0)  // seq_parameter_set_id
        writer.bit(false)  // entropy_coding_mode_flag (CAVLC)
        writer.bit(false)  // bottom_field_pic_order_in_frame_present_flag
        writer.unsignedExpGolomb(0)  // num_slice_groups_minus1
        writer.unsignedExpGolomb(0)  // num_ref_idx_l0_default_active_minus1
        writer.unsignedExpGolomb(0)  // num_ref_idx_l1_default_active_minus1
        writer.bit(false)  // weighted_pred_flag
        writer.bits(0, count: 2)  // weighted_bipred_idc
        writer.signedExpGolomb(0)  // pic_init_qp_minus26
        writer.signedExpGolomb(0)  // pic_init_qs_minus26
        writer.signedExpGolomb(0)  // chroma_qp_index_offset
        writer.bit(true)  // deblocking_filter_control_present_flag
        writer.bit(false)  // constrained_intra_pred_flag
        writer.bit(false)  // redundant_pic_cnt_present_flag
        return writer.finishRBSP()
    }()

    /// One IDR slice covering the picture: every macroblock I_PCM. The luma of each macroblock moves
    /// with the picture's index, so consecutive pictures differ (a frozen picture would hide a
    /// player that shows the same frame twice); chroma is neutral grey.
    private func slice(_ index: Int) -> [UInt8] {
        var writer = H264BitWriter()
        writer.unsignedExpGolomb(0)  // first_mb_in_slice
        writer.unsignedExpGolomb(7)  // slice_type: I, and every slice of the picture is I
        writer.unsignedExpGolomb(0)  // pic_parameter_set_id
        writer.bits(0, count: 4)  // frame_num (0 in an IDR picture)
        // Two IDR pictures in a row must differ in idr_pic_id (7.4.3).
        writer.unsignedExpGolomb(UInt32(index & 1))  // idr_pic_id
        writer.bit(false)  // no_output_of_prior_pics_flag
        writer.bit(false)  // long_term_reference_flag
        writer.signedExpGolomb(0)  // slice_qp_delta
        writer.unsignedExpGolomb(1)  // disable_deblocking_filter_idc: off (nothing to smooth in PCM)
        let macroblocks = widthInMacroblocks * heightInMacroblocks
        for macroblock in 0..<macroblocks {
            writer.unsignedExpGolomb(25)  // mb_type I_PCM in an I slice
            writer.alignWithZeros()  // pcm_alignment_zero_bit
            // Luma 16 to 235 (video range), never 0: no sample can form a start code with its neighbours.
            let luma = UInt8(16 + (macroblock * 23 + index * 11) % 220)
            for _ in 0..<256 { writer.append(luma) }
            for _ in 0..<128 { writer.append(128) }
        }
        return writer.finishRBSP()
    }

    /// A NAL unit (nal_ref_idc 3) around `rbsp`, with emulation prevention: a 0x03 after any two zero
    /// bytes that a byte of 0 to 3 follows, so that no start code appears inside (7.4.1).
    static func nalUnit(type: UInt8, rbsp: [UInt8]) -> [UInt8] {
        var nal: [UInt8] = [0x60 | type]
        nal.reserveCapacity(rbsp.count + rbsp.count / 64 + 2)
        var zeros = 0
        for byte in rbsp {
            if zeros >= 2, byte <= 3 {
                nal.append(0x03)
                zeros = 0
            }
            nal.append(byte)
            zeros = byte == 0 ? zeros + 1 : 0
        }
        return nal
    }
}
