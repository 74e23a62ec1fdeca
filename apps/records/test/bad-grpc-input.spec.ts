import { RecordsServiceService } from '@meridian/proto';
import { badGrpcInputSuite } from '@meridian/testing';

badGrpcInputSuite('records', 'meridian.v1.RecordsService', RecordsServiceService);
