import { ProberServiceService } from '@meridian/proto';
import { badGrpcInputSuite } from '@meridian/testing';

badGrpcInputSuite('prober', 'meridian.v1.ProberService', ProberServiceService);
